namespace ComplianceHub.Web.Cli;

internal interface ICliCommand
{
    string Verb { get; }

    /// <summary>One line for the verb list.</summary>
    string Summary { get; }

    string Usage { get; }

    IReadOnlyList<string> ValueOptions { get; }

    IReadOnlyList<string> Flags { get; }

    /// <summary>Runs the verb; returns the process exit code (0 ok, 1 failure).</summary>
    Task<int> RunAsync(CliContext context, CancellationToken ct);
}
