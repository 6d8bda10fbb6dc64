using ComplianceHub.Core.Archive.Ingestion;

namespace ComplianceHub.Web.Components.Pages.Archive;

/// <summary>One chosen file on the import page, from upload through preview to result.</summary>
public sealed class ImportItem(string fileName, long size)
{
    public string FileName { get; } = fileName;
    public long Size { get; } = size;
    public StagedExport? Staged { get; set; }
    public ImportPreview? Preview { get; set; }
    public ImportResult? Result { get; set; }
    public string? Error { get; set; }
    public bool Previewing { get; set; }
    public bool Importing { get; set; }
    public double Progress { get; set; }

    public bool CanImport => Staged is not null && Preview is not null && Error is null && Result is null && !Importing;
}
