using System.Buffers;
using ComplianceHub.Core.Common;
using System.Text;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Reads WhatsApp "Export chat" text (whatsapp-formats.md §1) in two streaming passes, so memory stays
/// flat whatever the file size: <see cref="DetectLayout(Stream, DateOrder?)"/> fixes the header shape from the first header
/// and infers the date order over the whole file; <see cref="ReadMessages"/> then yields every message
/// in file order with continuation lines joined. Both throw <see cref="ExportFormatException"/> naming
/// the line when the text is not a readable export.
/// </summary>
public static class WhatsAppExportParser
{
    /// <summary>Longest author name accepted in a header; longer text before ": " is body text.</summary>
    public const int MaxAuthorLength = 100;

    /// <summary>
    /// Longest line read, in bytes. WhatsApp caps a message at 65,536 characters (at most 4 bytes each in UTF-8): a longer
    /// line is not a chat export, and is refused in the first pass before memory grows with it.
    /// </summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>Longest message read, in characters, its continuation lines included (the same reasoning).</summary>
    public const int MaxMessageChars = 1 << 20;

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
        var detector = new LayoutDetector();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            var clean = Clean(line);
            detector.Line(++lineNumber, clean, clean.AsSpan().Trim().IsEmpty, bodyMarked: line.Contains(MarkedBody, StringComparison.Ordinal));
        }

        return detector.Finish(dateOrderOverride);
    }

    /// <summary>
    /// The first pass over UTF-8 bytes: only lines that can start a header (a digit, '[', a BOM or a
    /// directional mark) are decoded, and only their first characters. Same result as the reader
    /// overload, several times faster on large exports.
    /// </summary>
    public static ExportLayout DetectLayout(Stream utf8, DateOrder? dateOrderOverride = null)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var detector = new LayoutDetector();
        var buffer = new byte[1 << 16];
        var chars = new char[HeaderPrefixBytes];
        var cleaned = new char[HeaderPrefixBytes];
        int filled = 0, lineNumber = 0;
        var skipLeadingLineFeed = false;
        while (true)
        {
            var read = utf8.Read(buffer, filled, buffer.Length - filled);
            var endOfFile = read == 0;
            var end = filled + read;
            var start = 0;
            if (skipLeadingLineFeed && end > 0)
            {
                // The "\n" of a "\r\n" that straddled two reads.
                start = buffer[0] == (byte)'\n' ? 1 : 0;
                skipLeadingLineFeed = false;
            }

            // Lines end at "\n", "\r" or "\r\n", exactly as TextReader.ReadLine splits them.
            while (true)
            {
                var span = buffer.AsSpan(start, end - start);
                var lineBreak = span.IndexOfAny((byte)'\n', (byte)'\r');
                if (lineBreak < 0)
                {
                    if (endOfFile && !span.IsEmpty)
                    {
                        ConsumeLine(detector, ++lineNumber, span, chars, cleaned);
                        start = end;
                    }

                    break;
                }

                ConsumeLine(detector, ++lineNumber, span[..lineBreak], chars, cleaned);
                var next = start + lineBreak + 1;
                if (span[lineBreak] == (byte)'\r')
                {
                    if (next < end)
                    {
                        next += buffer[next] == (byte)'\n' ? 1 : 0;
                    }
                    else
                    {
                        skipLeadingLineFeed = !endOfFile;
                    }
                }

                start = next;
            }

            if (endOfFile)
            {
                break;
            }

            filled = end - start;
            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxLineBytes)
                {
                    throw new ExportFormatException(lineNumber + 1, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"the line is longer than {MaxLineBytes:N0} bytes, which no WhatsApp message is (they hold at most 65,536 characters): this is not a chat export"));
                }

                Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
            }
            else if (start > 0)
            {
                Array.Copy(buffer, start, buffer, 0, filled);
            }
        }

        return detector.Finish(dateOrderOverride);
    }

    /// <summary>Bytes of a line decoded to find its header: far more than any header needs.</summary>
    private const int HeaderPrefixBytes = 96;

    private static void ConsumeLine(LayoutDetector detector, int lineNumber, ReadOnlySpan<byte> line, char[] chars, char[] cleaned)
    {
        if (line.IsEmpty)
        {
            detector.Line(lineNumber, [], blank: true);
            return;
        }

        var first = line[0];
        var candidate = first is (>= (byte)'0' and <= (byte)'9') or (byte)'[' or 0xE2 or 0xEF or 0xD9 or 0xDB;
        if (!candidate && detector.HasShape)
        {
            detector.Line(lineNumber, [], blank: false, notHeader: true);
            return;
        }

        if (!candidate)
        {
            // Before the first header every line counts: decode it whole to tell blank from text.
            var whole = Encoding.UTF8.GetString(line);
            var clean = Clean(whole);
            detector.Line(lineNumber, clean, clean.AsSpan().Trim().IsEmpty);
            return;
        }

        var prefix = line.Length <= HeaderPrefixBytes ? line : line[..HeaderPrefixBytes];
        var count = Encoding.UTF8.GetChars(prefix, chars);
        ReadOnlySpan<char> text = chars.AsSpan(0, count);

        // Directional marks and BOMs all encode as E2 xx xx or EF BB BF.
        if (prefix.IndexOfAny((byte)0xE2, (byte)0xEF) >= 0)
        {
            var length = 0;
            foreach (var c in text)
            {
                if (!TextCharacters.IsDirectionalMark(c))
                {
                    cleaned[length++] = c;
                }
            }

            text = cleaned.AsSpan(0, length);
        }

        detector.Line(lineNumber, text, blank: line.Length <= HeaderPrefixBytes && text.Trim().IsEmpty, bodyMarked: prefix.IndexOf(MarkedBodyUtf8) >= 0);
    }

    /// <summary>How iOS starts the body of a notice, a media line or a deleted message: ": " then U+200E.</summary>
    private const string MarkedBody = ": \u200E";

    private static ReadOnlySpan<byte> MarkedBodyUtf8 => ": \u200E"u8;

    /// <summary>Collects the header shape and date evidence line by line, for either first-pass reader.</summary>
    private sealed class LayoutDetector
    {
        private readonly DateEvidence _evidence = new();
        private HeaderShape? _shape;
        private int _headers;
        private int _leadingLines;
        private string? _noticeAuthor;
        private bool _noticeAuthorWrites;

        public bool HasShape => _shape is not null;

        public void Line(int lineNumber, ReadOnlySpan<char> clean, bool blank, bool notHeader = false, bool bodyMarked = false)
        {
            if (notHeader || !HeaderMatcher.TryMatch(clean, out var header) || (_shape is not null && !header.SameShape(_shape)))
            {
                if (_shape is null && (!blank || ++_leadingLines > MaxLeadingBlankLines))
                {
                    throw new ExportFormatException(lineNumber,
                        "this is not a WhatsApp chat export: expected a message header such as " +
                        "'18/03/2022, 14:56 - Name: text' or '[27/03/2022, 21:41:35] Name: text'");
                }

                return;
            }

            _shape ??= header.Shape;
            _headers++;
            _evidence.Add(header, lineNumber);
            if (_shape.Bracketed)
            {
                NoteSpeaker(clean[header.ContentStart..], bodyMarked);
            }
        }

        /// <summary>
        /// iOS opens every chat with its encryption notice, written as the chat's name with a marked body:
        /// that author is who notices are written as. Whether the same name also writes unmarked messages
        /// tells a person (the other party of a direct chat) from a group's name.
        /// </summary>
        private void NoteSpeaker(ReadOnlySpan<char> content, bool bodyMarked)
        {
            var colon = content.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || colon > MaxAuthorLength)
            {
                return;
            }

            var author = content[..colon].Trim();
            if (_headers == 1)
            {
                _noticeAuthor = bodyMarked ? author.ToString() : null;
            }
            else if (!bodyMarked && !_noticeAuthorWrites && _noticeAuthor is not null && author.SequenceEqual(_noticeAuthor))
            {
                _noticeAuthorWrites = true;
            }
        }

        public ExportLayout Finish(DateOrder? dateOrderOverride)
        {
            if (_shape is null)
            {
                throw new ExportFormatException(0, "the file contains no WhatsApp messages");
            }

            var (order, ambiguous) = dateOrderOverride is { } forced ? (forced, false) : _evidence.Infer();
            return new ExportLayout(_shape, order, ambiguous, dateOrderOverride is not null, _headers)
            {
                NoticeAuthor = _noticeAuthor,
                NoticeAuthorWrites = _noticeAuthorWrites,
            };
        }
    }

    /// <summary>Second pass: every message, in file order, with its local (device wall-clock) time.</summary>
    public static IEnumerable<ParsedMessage> ReadMessages(TextReader reader, ExportLayout layout)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(layout);
        var authors = new AuthorCache();
        var pending = new PendingMessage(layout);
        var lineNumber = 0;
        var position = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var clean = Clean(line);
            if (HeaderMatcher.TryMatch(clean, out var header) && header.SameShape(layout.Shape))
            {
                if (pending.IsOpen)
                {
                    yield return pending.Complete(authors);
                }

                pending.Start(++position, lineNumber, line, clean, header);
            }
            else if (pending.IsOpen)
            {
                pending.Continue(clean);
            }
        }

        if (pending.IsOpen)
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
            if (!TextCharacters.IsDirectionalMark(line[i]))
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
            // Hours run 1-12 on most 12-hour clocks, 0-11 on some (Spanish locales write "00:08 a. m."): both read the same way.
            if (hour > 12)
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

    /// <summary>
    /// The message whose continuation lines are being read. One instance serves a whole pass; repeated
    /// timestamp texts and author names are shared, not allocated per message.
    /// </summary>
    private sealed class PendingMessage(ExportLayout layout)
    {
        private readonly StringPool _names = new();
        private readonly StringBuilder _more = new();
        private int _position;
        private int _lineNumber;
        private int _lineCount;
        private string _timestampText = "";
        private DateTime _localTime;
        private string? _author;
        private bool _iosMarked;
        private bool _innerMark;
        private string _firstLine = "";

        public bool IsOpen { get; private set; }

        public void Start(int position, int lineNumber, string raw, string clean, in HeaderParts h)
        {
            IsOpen = true;
            _position = position;
            _lineNumber = lineNumber;
            _lineCount = 1;
            _more.Clear();

            // Messages of the same minute share one timestamp text and one local time.
            var timestamp = clean.AsSpan(h.TimestampStart, h.TimestampEnd - h.TimestampStart);
            if (!timestamp.SequenceEqual(_timestampText))
            {
                _timestampText = timestamp.ToString();
                _localTime = ToLocalTime(h, layout.DateOrder, lineNumber, _timestampText);
            }

            var content = clean.AsSpan(h.ContentStart);
            var colon = content.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && colon <= MaxAuthorLength)
            {
                _author = _names.Get(content[..colon].Trim());
                _firstLine = content[(colon + 2)..].ToString();

                // iOS marks the body of its notices (and of media lines and deleted messages) with U+200E.
                var marked = h.Bracketed ? raw.IndexOf(MarkedBody, StringComparison.Ordinal) : -1;
                _iosMarked = marked >= 0;
                _innerMark = _iosMarked && HasInnerMark(raw.AsSpan(marked + MarkedBody.Length));
            }
            else
            {
                _author = null;
                _iosMarked = false;
                _innerMark = false;
                _firstLine = content.ToString();
            }
        }

        public void Continue(string clean)
        {
            if (_firstLine.Length + _more.Length + 1 + clean.Length > MaxMessageChars)
            {
                throw new ExportFormatException(_lineNumber, string.Create(global::System.Globalization.CultureInfo.InvariantCulture,
                    $"the message starting on this line runs past {MaxMessageChars:N0} characters ({_lineCount + 1:N0} lines), which no WhatsApp message does (they hold at most 65,536): lines that should start messages of their own are not recognised as such"));
            }

            _more.Append('\n').Append(clean);
            _lineCount++;
        }

        public ParsedMessage Complete(AuthorCache authors)
        {
            IsOpen = false;
            var body = _more.Length == 0 ? _firstLine : string.Concat(_firstLine, _more.ToString());
            var author = _author;
            if (author is null)
            {
                // Android notices have no author (§1.4).
                return System(authors, author, body, uncertain: false);
            }

            if (!_iosMarked && MessageClassifier.AuthorLooksLikeNoticeText(author))
            {
                // "X changed the subject from "A: B"": the ": " belongs to the notice, not an author.
                return System(authors, null, author + ": " + body, uncertain: true);
            }

            var classified = MessageClassifier.Classify(body);
            var uncertain = false;
            if (_iosMarked && classified.Kind == MessageKind.Text)
            {
                var verdict = IosNotice.Judge(author, body, _position == 1, _innerMark, layout);
                if (verdict.IsNotice)
                {
                    return System(authors, author, body, verdict.Uncertain);
                }

                uncertain = verdict.Uncertain;
            }

            return new ParsedMessage(_position, _lineNumber, _lineCount, _timestampText, _localTime,
                author, authors.PhoneOf(author), classified.Body, classified.Kind, classified.IsEdited, classified.AttachmentFileName, uncertain);
        }

        private ParsedMessage System(AuthorCache authors, string? author, string body, bool uncertain) =>
            new(_position, _lineNumber, _lineCount, _timestampText, _localTime,
                author, author is null ? null : authors.PhoneOf(author), body, MessageKind.System, false, null, uncertain);

        /// <summary>A second U+200E after the body's first character, as in "‎Your security code … changed. ‎Tap to learn more.".</summary>
        private static bool HasInnerMark(ReadOnlySpan<char> body)
        {
            var text = TextCharacters.TrimLeadingDirectionalMarks(body);
            return text.Length > 1 && text[1..].Contains('\u200E');
        }
    }

    /// <summary>One string per distinct text, looked up by span without allocating.</summary>
    private sealed class StringPool
    {
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

        public string Get(ReadOnlySpan<char> text)
        {
            var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(text, out var value))
            {
                value = text.ToString();
                _strings[value] = value;
            }

            return value;
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
