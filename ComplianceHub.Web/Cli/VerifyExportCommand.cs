using ComplianceHub.Core.Exports;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>verify-export &lt;package folder or .zip&gt; [--json]</c>: checks an e-discovery package against its manifest
/// (checksums, signature, every file's size and SHA-256, nothing unlisted) and against this archive (sections, chain
/// hashes, chains, audit events). Exit code 0 when every check holds, 1 otherwise.
/// </summary>
internal sealed class VerifyExportCommand : ICliCommand
{
    public string Verb => "verify-export";
    public string Summary => "Check an e-discovery package (folder or ZIP) against its manifest and the archive's chains; non-zero exit on any difference.";
    public string Usage => "verify-export <package folder or .zip> [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = [];
    public int MaxPositionals => 1;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        if (context.Arguments.Positionals is not [var path])
        {
            throw new CliUsageException("name the package: its unpacked folder or its .zip file");
        }

        var result = await context.Get<ExportPackageVerifier>().VerifyAsync(Path.GetFullPath(path), ct);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                verified = result.Verified,
                manifestSha256 = result.ManifestSha256,
                checks = result.Checks.Select(c => new { check = c.Name, ok = c.Ok, detail = c.Detail }),
            });
        }
        else
        {
            foreach (var check in result.Checks)
            {
                await context.Out.WriteLineAsync($"{(check.Ok ? "ok  " : "FAIL")}  {check.Name}: {check.Detail}");
            }

            await context.Out.WriteLineAsync(result.Verified
                ? $"verified: the package matches its manifest (SHA-256 {result.ManifestSha256}) and the archive"
                : $"NOT verified: {result.Checks.Count(c => !c.Ok)} check(s) failed");
        }

        return result.Verified ? 0 : 1;
    }
}
