using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Holds an uploaded export on disk (in a <see cref="ScratchDirectory"/> under the data directory) while it is previewed
/// and imported: parsing reads the file twice and zips need random access. The copy is deleted when disposed, and by the
/// next start's sweep when its process died first.
/// </summary>
public sealed class ImportStaging(StorageSettings storage)
{
    public async Task<StagedExport> StageAsync(Stream content, string fileName, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var safeName = Path.GetFileName(fileName.Replace('\\', '/'));
        if (safeName.Length == 0)
        {
            throw new Common.ComplianceRuleException("The uploaded file has no name.");
        }

        var directory = ScratchDirectory.Create(storage, "upload");
        var path = Path.Combine(directory.Path, "export" + Path.GetExtension(safeName).ToLowerInvariant());
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await content.CopyToAsync(file, ct);
            return new StagedExport(directory, path, safeName, file.Length);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }
}

/// <summary>An upload held on disk; disposing deletes it.</summary>
public sealed class StagedExport(ScratchDirectory directory, string path, string fileName, long length) : IDisposable
{
    public string Path { get; } = path;
    public string FileName { get; } = fileName;
    public long Length { get; } = length;

    public void Dispose() => directory.Dispose();
}
