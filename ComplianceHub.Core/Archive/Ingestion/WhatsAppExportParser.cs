using System.Buffers;
using ComplianceHub.Core.Common;
using System.Text;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Reads WhatsApp "Export chat" text (whatsapp-formats.md §1) in two streaming passes, so memory stays
/// flat whatever the file size: <see cref="DetectLayout"/> fixes the header shape from the first header
/// and infers the date order over the whole file; <see cref="ReadMessages"/> then yields every message
/// in file order with continuation lines joined. Both throw <see cref="ExportFormatException"/> naming
/// the line when the text is not a readable export.
/// </summary>
public static class WhatsAppExportParser
{
    /// <summary>Longest author name accepted in a header; longer text before ": " is body text.</summary>
    public const int MaxAuthorLength = 100;

    /// <summary>Lines of non-header text tolerated before the first header (blank lines, a BOM).</summary>
    private const int MaxLeadingBlankLines = 20;

    private static readonly SearchValues<char> DirectionalMarks = SearchValues.Create(
        "\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\uFEFF");

    /// <summary>
    /// First pass: the header shape and the date order. <paramref name="dateOrderOverride"/> replaces
    /// the inferred order (the operator's choice in the preview or <c>--date-order</c>).
    /// </summary>
    public static ExportLayout DetectLayout(TextReader reader, DateOrder? dateOrderOverride = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        HeaderShape? shape = null;
        var evidence = new DateEvidence();
        var headers = 0;
        var lineNumber = 0;
        var leadingLines = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var clean = Clean(line);
            if (!HeaderMatcher.TryMatch(clean, out var header) || (shape is not null && !header.SameShape(shape)))
            {
                if (shape is null)
                {
                    if (clean.Trim().Length > 0 || ++leadingLines > MaxLeadingBlankLines)
                    {
                        throw new ExportFormatException(lineNumber,
                            "this is not a WhatsApp chat export: expected a message header such as " +
                            "'18/03/2022, 14:56 - Name: text' or '[27/03/2022, 21:41:35] Name: text'");
                    }
                }

                continue;
            }

            shape ??= header.Shape;
            headers++;
            evidence.Add(header, lineNumber);
        }

        if (shape is null)
        {
            throw new ExportFormatException(0, "the file contains no WhatsApp messages");
        }

        var (order, ambiguous) = dateOrderOverride is { } forced ? (forced, false) : evidence.Infer();
        return new ExportLayout(shape, order, ambiguous, dateOrderOverride is not null, headers);
    }

    /// <summary>Second pass: every message, in file order, with its local (device wall-clock) time.</summary>
    public static IEnumerable<ParsedMessage> ReadMessages(TextReader reader, ExportLayout layout)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(layout);
        var authors = new AuthorCache();
        var lineNumber = 0;
        var position = 0;
        PendingMessage? pending = null;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var clean = Clean(line);
            if (HeaderMatcher.TryMatch(clean, out var header) && header.SameShape(layout.Shape))
            {
                if (pending is not null)
                {
                    yield return pending.Complete(authors);
                }

                pending = PendingMessage.Start(++position, lineNumber, line, clean, header, layout);
            }
            else if (pending is not null)
            {
                pending.Continue(clean);
            }
        }

        if (pending is not null)
        {
            yield return pending.Complete(authors);
        }
    }

    /// <summary>The line without directional marks and BOMs (a copy only when it has any).</summary>
    internal static string Clean(string line)
    {
        var index = line.AsSpan().IndexOfAny(DirectionalMarks);
        if (index < 0)
        {
            return line;
        }

        var builder = new StringBuilder(line.Length);
        builder.Append(line, 0, index);
        for (var i = index; i < line.Length; i++)
        {
            if (!ExportVocabulary.IsDirectionalMark(line[i]))
            {
                builder.Append(line[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Builds the local time of a header in the given date order, or says why it is not a date.</summary>
    internal static DateTime ToLocalTime(in HeaderParts h, DateOrder order, int lineNumber, string timestampText)
    {
        int year, month, day;
        (year, month, day) = order switch
        {
            DateOrder.YearMonthDay => (h.A, h.B, h.C),
            DateOrder.DayMonthYear => (h.C, h.B, h.A),
            DateOrder.MonthDayYear => (h.C, h.A, h.B),
        };
        var yearDigits = order == DateOrder.YearMonthDay ? h.ADigits : h.CDigits;
        year = h.Era switch
        {
            'R' => 2018 + year,
            'H' => 1988 + year,
            'S' => 1925 + year,
            _ when h.Buddhist => year - 543,
            _ when yearDigits <= 2 => 2000 + year,
            _ => year,
        };

        var hour = h.Hour;
        if (h.Meridiem != 0)
        {
            if (hour is < 1 or > 12)
            {
                throw new ExportFormatException(lineNumber, $"'{timestampText}' has hour {hour}, which a 12-hour clock does not show");
            }

            hour = (hour % 12) + (h.Meridiem == 2 ? 12 : 0);
        }

        if (year is < 1990 or > 2100 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || h.Minute > 59 || h.Second > 59)
        {
            throw new ExportFormatException(lineNumber,
                $"'{timestampText}' is not a valid date and time when read as {order.ToCode()}");
        }

        return new DateTime(year, month, day, hour, h.Minute, h.Second, DateTimeKind.Unspecified);
    }

    /// <summary>The distinct dates seen, in file order, and what they say about day/month order.</summary>
    private sealed class DateEvidence
    {
        private readonly List<(int A, int B, int C)> _dates = [];
        private (int A, int B, int C) _last = (-1, -1, -1);
        private bool _yearFirst;
        private int _firstAOver12Line;
        private int _firstBOver12Line;

        public void Add(in HeaderParts h, int lineNumber)
        {
            if (_dates.Count == 0)
            {
                _yearFirst = h.YearFirst;
            }

            if (h.A > 12 && _firstAOver12Line == 0)
            {
                _firstAOver12Line = lineNumber;
            }

            if (h.B > 12 && _firstBOver12Line == 0)
            {
                _firstBOver12Line = lineNumber;
            }

            var date = (h.A, h.B, h.C);
            if (date != _last)
            {
                _dates.Add(date);
                _last = date;
            }
        }

        public (DateOrder Order, bool Ambiguous) Infer()
        {
            if (_yearFirst)
            {
                return (DateOrder.YearMonthDay, false);
            }

            if (_firstAOver12Line != 0 && _firstBOver12Line != 0)
            {
                throw new ExportFormatException(Math.Max(_firstAOver12Line, _firstBOver12Line),
                    $"dates read neither as day/month nor as month/day (line {_firstAOver12Line} has a first number over 12, " +
                    $"line {_firstBOver12Line} a second number over 12)");
            }

            if (_firstAOver12Line != 0)
            {
                return (DateOrder.DayMonthYear, false);
            }

            if (_firstBOver12Line != 0)
            {
                return (DateOrder.MonthDayYear, false);
            }

            // No number over 12: weaker evidence, always reported as ambiguous (whatsapp-formats.md §1.6).
            bool aDecreases = false, bDecreases = false;
            long aChange = 0, bChange = 0;
            for (var i = 1; i < _dates.Count; i++)
            {
                var (previous, current) = (_dates[i - 1], _dates[i]);
                aChange += Math.Abs(current.A - previous.A);
                bChange += Math.Abs(current.B - previous.B);
                if (current.C == previous.C)
                {
                    aDecreases |= current.A < previous.A;
                    bDecreases |= current.B < previous.B;
                }
            }

            // A month cannot go down within a year; the day does every month.
            if (aDecreases != bDecreases)
            {
                return (aDecreases ? DateOrder.DayMonthYear : DateOrder.MonthDayYear, true);
            }

            if (aChange != bChange)
            {
                return (aChange > bChange ? DateOrder.DayMonthYear : DateOrder.MonthDayYear, true);
            }

            return (DateOrder.DayMonthYear, true);
        }
    }

    /// <summary>A message whose continuation lines are still being read.</summary>
    private sealed class PendingMessage
    {
        private int _position;
        private int _lineNumber;
        private int _lineCount;
        private string _timestampText = "";
        private DateTime _localTime;
        private string? _author;
        private bool _iosNotice;
        private string _firstLine = "";
        private StringBuilder? _more;

        public static PendingMessage Start(int position, int lineNumber, string raw, string clean, in HeaderParts h, ExportLayout layout)
        {
            var message = new PendingMessage
            {
                _position = position,
                _lineNumber = lineNumber,
                _lineCount = 1,
                _timestampText = clean[h.TimestampStart..h.TimestampEnd],
            };
            message._localTime = ToLocalTime(h, layout.DateOrder, lineNumber, message._timestampText);

            var content = clean.AsSpan(h.ContentStart);
            var colon = content.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && colon <= MaxAuthorLength)
            {
                message._author = content[..colon].Trim().ToString();
                message._firstLine = content[(colon + 2)..].ToString();

                // iOS notices carry the chat's name as author and a body starting with U+200E.
                message._iosNotice = h.Bracketed && raw.Contains(": \u200E", StringComparison.Ordinal);
            }
            else
            {
                message._firstLine = content.ToString();
            }

            return message;
        }

        public void Continue(string clean)
        {
            _more ??= new StringBuilder();
            _more.Append('\n').Append(clean);
            _lineCount++;
        }

        public ParsedMessage Complete(AuthorCache authors)
        {
            var body = _more is null ? _firstLine : _firstLine + _more;
            var author = _author;
            var heuristic = false;
            var system = false;

            if (author is null)
            {
                // Android notices have no author (§1.4).
                system = true;
            }
            else if (_iosNotice && MessageClassifier.LooksLikeSystemNotice(body))
            {
                system = true;
            }
            else if (!_iosNotice && MessageClassifier.AuthorLooksLikeNoticeText(author))
            {
                // "X changed the subject from "A: B"": the ": " belongs to the notice, not an author.
                system = true;
                heuristic = true;
                body = author + ": " + body;
                author = null;
            }

            if (system)
            {
                return new ParsedMessage(_position, _lineNumber, _lineCount, _timestampText, _localTime,
                    author, author is null ? null : authors.PhoneOf(author), body, MessageKind.System, false, null, heuristic);
            }

            var classified = MessageClassifier.Classify(body);
            return new ParsedMessage(_position, _lineNumber, _lineCount, _timestampText, _localTime,
                author, authors.PhoneOf(author!), classified.Body, classified.Kind, classified.IsEdited, classified.AttachmentFileName, false);
        }
    }

    /// <summary>Normalises each distinct author once per file.</summary>
    private sealed class AuthorCache
    {
        private readonly Dictionary<string, string?> _phones = new(StringComparer.Ordinal);

        public string? PhoneOf(string author)
        {
            if (!_phones.TryGetValue(author, out var phone))
            {
                phone = PhoneNumberNormalizer.TryNormalize(author);
                _phones[author] = phone;
            }

            return phone;
        }
    }
}
