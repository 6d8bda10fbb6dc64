namespace ComplianceHub.Core.Common;

/// <summary>
/// A broken business rule. Its message is written for the person who triggered it and is safe to show
/// in the UI or print from the command line; anything else thrown by Core is a bug.
/// </summary>
public sealed class ComplianceRuleException(string message) : Exception(message);
