using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplianceHub.Web.Cli;

/// <summary>What a verb runs with: its arguments, the Core services, and where to print.</summary>
internal sealed class CliContext(CliArguments arguments, IServiceProvider services, TextWriter stdout, TextWriter stderr)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // Output for terminals and scripts, never embedded in HTML: "+44…" and Arabic or Chinese text stay readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions JsonLineOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public CliArguments Arguments { get; } = arguments;
    public IServiceProvider Services { get; } = services;
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public Task WriteJsonAsync<T>(T value) => Out.WriteLineAsync(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>One compact JSON object on one line (JSON Lines), for verbs that report per item.</summary>
    public Task WriteJsonLineAsync<T>(T value) => Out.WriteLineAsync(JsonSerializer.Serialize(value, JsonLineOptions));
}
