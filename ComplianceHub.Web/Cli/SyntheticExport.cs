using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// A deterministic synthetic Android export for benchmarks: Zipf-distributed words, a dozen authors
/// (some as phone numbers), multi-line messages, media placeholders and system notices.
/// </summary>
internal static class SyntheticExport
{
    private static readonly string[] Words =
    [
        "the", "price", "client", "order", "bund", "gilt", "futures", "book", "call", "level", "bid", "offer", "market", "desk",
        "trade", "fill", "lots", "limit", "spread", "curve", "yield", "auction", "payrolls", "please", "confirm", "today",
        "tomorrow", "morning", "recorded", "line", "risk", "position", "hedge", "swap", "basis", "duration", "coupon", "settle",
        "invoice", "ticket", "allocation", "pension", "fund", "mandate", "northbridge", "lindqvist", "iberdrola", "volatility",
        "liquidity", "indicative", "firm", "valid", "minutes", "revert", "checking", "thanks", "noted", "sure", "ok", "great",
        "Crème", "Łódź", "München", "São", "naïve", "مرحبا", "नमस्ते", "привет", "世界", "👍",
    ];

    private static readonly string[] Authors =
    [
        "Alex Kim", "Sam Patel", "Emma Employee", "Raj Mehta", "+44 7700 900123", "+49 151 2345678", "Lucía Fernández",
        "Jonas Weber", "Olivia Officer", "Nuno Costa", "+1 212 555 0142", "Maria Silva",
    ];

    /// <summary>
    /// Writes <paramref name="messages"/> messages; <paramref name="seed"/> varies the chat, and with
    /// <paramref name="rareWord"/> one message in <paramref name="rareEvery"/> (on average) carries that word too.
    /// </summary>
    public static void Write(string path, int messages, int seed = 42, string? rareWord = null, int rareEvery = 0, DateTime? start = null)
    {
        var random = new Random(seed);
        var cumulative = new double[Words.Length];
        var total = 0.0;
        for (var i = 0; i < Words.Length; i++)
        {
            total += 1.0 / (i + 1);
            cumulative[i] = total;
        }

        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        var time = start ?? new DateTime(2024, 1, 2, 8, 0, 0);
        var line = new StringBuilder(512);
        writer.Write(time.ToString("dd/MM/yyyy, HH:mm", CultureInfo.InvariantCulture)
            + " - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n");
        for (var m = 1; m < messages; m++)
        {
            time = time.AddSeconds(random.Next(5, 90));
            line.Clear();
            line.Append(time.ToString("dd/MM/yyyy, HH:mm", CultureInfo.InvariantCulture)).Append(" - ");
            var roll = random.Next(1000);
            if (roll < 3)
            {
                line.Append(Authors[random.Next(Authors.Length)]).Append(" added ").Append(Authors[random.Next(Authors.Length)]);
            }
            else
            {
                line.Append(Authors[random.Next(Authors.Length)]).Append(": ");
                if (roll < 40)
                {
                    line.Append("<Media omitted>");
                }
                else
                {
                    var words = random.Next(2, 60);
                    for (var w = 0; w < words; w++)
                    {
                        if (w > 0)
                        {
                            line.Append(random.Next(25) == 0 ? '\n' : ' ');
                        }

                        var pick = random.NextDouble() * total;
                        var index = Array.BinarySearch(cumulative, pick);
                        line.Append(Words[index < 0 ? ~index : index]);
                    }

                    if (rareWord is not null && random.Next(rareEvery) == 0)
                    {
                        line.Append(' ').Append(rareWord);
                    }
                }
            }

            line.Append('\n');
            writer.Write(line);
        }
    }

    /// <summary>
    /// An Android chat whose every message is a photo of its own (<paramref name="photoBytes"/> incompressible bytes), zipped with
    /// them (stored, as WhatsApp does), the chat text named after the zip.
    /// </summary>
    public static void WritePhotoChat(string zipPath, int photos, int photoBytes, DateTime start, int seed)
    {
        var random = new Random(seed);
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var chat = new StringBuilder();
        var time = start;
        var bytes = new byte[photoBytes];
        for (var i = 0; i < photos; i++)
        {
            time = time.AddSeconds(random.Next(20, 240));
            var name = $"IMG-{time:yyyyMMdd}-WA{i:D5}.jpg";
            chat.Append(time.ToString("dd/MM/yyyy, HH:mm", CultureInfo.InvariantCulture)).Append(" - ").Append(i % 2 == 0 ? "Emma Employee" : "Sam Patel")
                .Append(": ").Append(name).Append(" (file attached)\n");
            random.NextBytes(bytes);
            using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            entry.Write(bytes);
        }

        using var writer = new StreamWriter(zip.CreateEntry(Path.ChangeExtension(Path.GetFileName(zipPath), ".txt")).Open(), new UTF8Encoding(false));
        writer.Write(chat);
    }
}
