namespace ComplianceHub.Web.Cli;

internal interface ICliCommand
{
    string Verb { get; }

    /// <summary>One line for the verb list.</summary>
    string Summary { get; }

    string Usage { get; }

    IReadOnlyList<string> ValueOptions { get; }

    IReadOnlyList<string> Flags { get; }

    /// <summary>How many plain arguments (a file, a benchmark's name) the verb takes; more is a usage error.</summary>
    int MaxPositionals => 0;

    /// <summary>Whether the verb reads or writes the database, which is then brought up to date first; a verb that does not never touches it.</summary>
    bool NeedsDatabase(CliArguments arguments) => true;

    /// <summary>Runs the verb; returns the process exit code (0 ok, 1 failure).</summary>
    Task<int> RunAsync(CliContext context, CancellationToken ct);
}
