using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// Every log entry the portal writes, kept as the text a log file would hold: category, level, the rendered message,
/// each structured property, the scopes around it and any exception. For tests that read the log as an attacker who
/// got hold of it would.
/// </summary>
public sealed class CapturedLog : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>The entries holding any of <paramref name="secrets"/> (ordinal, case-insensitive), with the secret found.</summary>
    public List<string> Holding(IEnumerable<string> secrets)
    {
        var list = secrets.Where(s => s.Length > 0).ToList();
        return [.. _entries.SelectMany(e => list.Where(s => e.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"'{s}' in: {e}"))];
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => log._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {key}={value}");
                }
            }

            log._scopes.ForEachScope((scope, builder) => builder.Append(CultureInfo.InvariantCulture, $" scope={scope}"), text);
            if (exception is not null)
            {
                text.Append(' ').Append(exception);
            }

            log._entries.Enqueue(text.ToString());
        }
    }
}
