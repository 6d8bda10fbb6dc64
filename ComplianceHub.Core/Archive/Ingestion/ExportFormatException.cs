namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// A file that is not a readable WhatsApp export, with the line and the reason. Nothing from such a
/// file is stored (imports are all-or-nothing).
/// </summary>
public sealed class ExportFormatException(int lineNumber, string reason)
    : Exception(lineNumber > 0 ? $"line {lineNumber}: {reason}" : reason)
{
    /// <summary>1-based line in the text file; 0 when the problem is the file as a whole.</summary>
    public int LineNumber { get; } = lineNumber;

    public string Reason { get; } = reason;
}
