using System.Text;
using ComplianceHub.Core.Archive.Ingestion;

namespace ComplianceHub.Tests.Core.Archive;

/// <summary>
/// Thousands of random and mutated exports: the parser either reads them or says why not
/// (<see cref="ExportFormatException"/>); it never crashes and never hangs.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "18/03/2022, 14:56 - Alex K: Hello\nsecond line\n19/03/2022, 09:05 - Sam: <Media omitted>",
        "[3/27/22, 21:41:35] Maria: \u200Eimage omitted\r\n[3/28/22, 8:00:00\u202FPM] Joe: hi <This message was edited>",
        "13.6.2018 klo 21.25.15 - Aino: moi\n[٢٧/٣/٢٠٢٢، ٩:٤١:٣٥\u00A0م] أحمد: مرحبا",
        "[27/3/2565 BE, 21:41:35] Somchai: hi\n[3/27/R4, 21:41:35] Taro: POLL:\nOPTION: a (1 vote)",
        "20/6/2017 8:28 p.\u00A0m. - Ana: hola\n20/6/2017 8:29 p.\u00A0m. - Ana: IMG-1.jpg (file attached)",
    ];

    private static readonly char[] Alphabet =
        "0123456789/.-:,[] APMapm\n\r\u200E\u200F\u202A\u202C\u00A0\u202F\uFEFF٠١٢<>\"~+BEklo".ToCharArray();

    [Fact(Timeout = 120_000)]
    public async Task Parse_RandomAndMutatedExports_ReadsOrRejects_NeverCrashes()
    {
        await Task.Yield();
        var random = new Random(20261125);
        var parsed = 0;
        var rejected = 0;
        for (var i = 0; i < 4000; i++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var input = i % 4 == 0 ? RandomText(random) : Mutate(Seeds[random.Next(Seeds.Length)], random);
            var order = i % 7 == 0 ? DateOrder.MonthDayYear : (DateOrder?)null;

            // The byte-level first pass finds exactly what the reader-level one finds, errors included.
            var fromReader = Outcome(() => WhatsAppExportParser.DetectLayout(new StringReader(input), order));
            var fromBytes = Outcome(() => WhatsAppExportParser.DetectLayout(new MemoryStream(Encoding.UTF8.GetBytes(input)), order));
            fromBytes.ShouldBe(fromReader, input);
            if (fromReader.StartsWith("error", StringComparison.Ordinal))
            {
                rejected++;
                continue;
            }

            try
            {
                var layout = WhatsAppExportParser.DetectLayout(new StringReader(input), order);
                var messages = WhatsAppExportParser.ReadMessages(new StringReader(input), layout).ToList();
                messages.ShouldAllBe(m => m.LineNumber >= 1 && m.Body != null);
                parsed++;
            }
            catch (ExportFormatException ex)
            {
                ex.Message.ShouldNotBeNullOrWhiteSpace();
                rejected++;
            }
        }

        // Both outcomes happen: the generator is neither all garbage nor all valid.
        parsed.ShouldBeGreaterThan(500);
        rejected.ShouldBeGreaterThan(500);
    }

    private static string Outcome(Func<ExportLayout> detect)
    {
        try
        {
            return detect().ToString();
        }
        catch (ExportFormatException ex)
        {
            return "error " + ex.Message;
        }
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, 300);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(10) == 0 ? (char)random.Next(0x20, 0xFFFF) : Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static string Mutate(string seed, Random random)
    {
        var chars = new StringBuilder(seed);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && chars.Length > 0; e++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0:
                    chars.Remove(at, Math.Min(random.Next(1, 4), chars.Length - at));
                    break;
                case 1:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2:
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    chars.Insert(at, seed[..random.Next(seed.Length)]);
                    break;
            }
        }

        return chars.ToString();
    }
}
