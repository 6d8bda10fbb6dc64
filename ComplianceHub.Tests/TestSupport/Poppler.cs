using System.Diagnostics;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>Poppler's command-line tools (Debian's poppler-utils, installed by the test script): a second, independent reader of our PDFs.</summary>
public static class Poppler
{
    /// <summary>The text of <paramref name="pdf"/> as <c>pdftotext</c> extracts it (pages separated by form feeds).</summary>
    public static Task<string> TextAsync(string pdf, params string[] options) =>
        RunAsync("pdftotext", [.. options, pdf, "-"]);

    /// <summary>Renders page <paramref name="page"/> to a PNG beside <paramref name="pdf"/> and returns its path.</summary>
    public static async Task<string> RenderPageAsync(string pdf, int page, int dpi = 110)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(pdf)!, $"{Path.GetFileNameWithoutExtension(pdf)}-p{page}");
        await RunAsync("pdftoppm", ["-png", "-singlefile", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", page.ToString(System.Globalization.CultureInfo.InvariantCulture), pdf, prefix]);
        return prefix + ".png";
    }

    public static async Task<string> RunAsync(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
