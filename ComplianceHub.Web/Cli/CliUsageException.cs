namespace ComplianceHub.Web.Cli;

/// <summary>Bad arguments: the dispatcher prints the message on one line and exits with code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
