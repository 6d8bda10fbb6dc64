using ComplianceHub.Core.Roster;

namespace ComplianceHub.Web.Components.Pages.Roster;

/// <summary>
/// What a roster CSV check or import said, as <see cref="CsvImportPanel"/> shows it: the rows read,
/// every problem by row and column, whether it was stored, a one-line summary and any warnings.
/// </summary>
public sealed record CsvImportOutcome(int Rows, IReadOnlyList<RosterImportError> Errors, bool Stored, string Summary, IReadOnlyList<string> Warnings);
