namespace ComplianceHub.Web.Cli;

/// <summary>
/// Parsed <c>--name value</c>, <c>--name=value</c> and <c>--flag</c> options plus positional arguments.
/// Every verb declares the options it accepts; anything else is a usage error.
/// </summary>
internal sealed class CliArguments
{
    /// <summary>Options every verb accepts: where the data is and how to print.</summary>
    public static readonly string[] CommonValueOptions = ["data-dir", "provider", "connection-string", "key-file", "environment"];
    public static readonly string[] CommonFlags = ["json"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    private CliArguments()
    {
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Json => HasFlag("json");

    public static CliArguments Parse(IReadOnlyList<string> args, IEnumerable<string> valueOptions, IEnumerable<string> flags, int maxPositionals)
    {
        var values = CommonValueOptions.Concat(valueOptions).ToHashSet(StringComparer.Ordinal);
        var flagSet = CommonFlags.Concat(flags).ToHashSet(StringComparer.Ordinal);
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (parsed._positionals.Count == maxPositionals)
                {
                    throw new CliUsageException($"unexpected argument '{arg}'");
                }

                parsed._positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? inlineValue = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }

            if (flagSet.Contains(name))
            {
                if (inlineValue is not null)
                {
                    throw new CliUsageException($"option --{name} takes no value");
                }

                parsed._flags.Add(name);
            }
            else if (values.Contains(name))
            {
                var value = inlineValue
                    ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                        ? args[++i]
                        : throw new CliUsageException($"option --{name} needs a value"));
                if (parsed._values.ContainsKey(name))
                {
                    throw new CliUsageException($"option --{name} given twice");
                }

                parsed._values[name] = value;
            }
            else
            {
                throw new CliUsageException($"unknown option --{name}");
            }
        }

        return parsed;
    }

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new CliUsageException($"missing required option --{name}");

    public bool HasFlag(string name) => _flags.Contains(name);

    /// <summary>The configuration overrides the common options stand for, in the web host's keys.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ConfigurationOverrides()
    {
        if (Value("data-dir") is { } dataDir)
        {
            yield return new(Core.Storage.StorageSettings.DataDirectoryKey, dataDir);
        }

        if (Value("provider") is { } provider)
        {
            yield return new(Core.Storage.StorageSettings.ProviderKey, provider);
        }

        if (Value("connection-string") is { } connectionString)
        {
            yield return new($"ConnectionStrings:{Core.Storage.StorageSettings.ConnectionStringName}", connectionString);
        }

        if (Value("key-file") is { } keyFile)
        {
            yield return new(Core.Storage.Encryption.ArchiveKeys.KeyFileSetting, keyFile);
        }
    }
}
