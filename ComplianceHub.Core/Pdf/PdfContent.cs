namespace ComplianceHub.Core.Pdf;

/// <summary>
/// What a document is made of, in reading order: the composition surface a producer writes to. The producer runs
/// twice (<see cref="IsFinalPass"/>): first to lay the pages out, then to draw them, when page counts and the pages
/// of anchors are known (<see cref="PageOf"/>, "page x of y", the table of contents). It must write the same
/// content both times.
/// </summary>
public interface IPdfContent
{
    /// <summary>False while the pages are being counted; true while they are drawn.</summary>
    bool IsFinalPass { get; }

    /// <summary>The page the next block starts on, from 1.</summary>
    int CurrentPage { get; }

    /// <summary>The page an anchor was placed on (known in the final pass; null before, or for an unknown anchor).</summary>
    int? PageOf(string anchor);

    /// <summary>
    /// A heading (level 1 to 3), kept with what follows it; <paramref name="anchor"/> names its place for links and the
    /// contents, and makes it a bookmark of the document.
    /// </summary>
    void Heading(string text, int level = 1, string? anchor = null);

    void Paragraph(string text, PdfTextStyle style = PdfTextStyle.Body);

    /// <summary>Two columns: labels on the left, values wrapping on the right.</summary>
    void KeyValues(IReadOnlyList<KeyValuePair<string, string>> rows);

    /// <summary>A line of the table of contents: its text, a dotted leader, and the anchor's page, linked to it.</summary>
    void ContentsEntry(string text, string anchor, int level = 1);

    /// <summary>A centred label between rules (a date in a transcript).</summary>
    void Separator(string text);

    /// <summary>One chat message: kept together on a page unless it is longer than a page.</summary>
    void Message(PdfMessage message);

    void Image(PdfImage image, float maxHeight = 160);

    /// <summary>Names the current position for links and <see cref="PageOf"/>.</summary>
    void Anchor(string name);

    void Rule();

    void Space(float points);

    void PageBreak();
}

public enum PdfTextStyle
{
    Body,
    Bold,

    /// <summary>Secondary information, smaller and grey.</summary>
    Muted,

    /// <summary>Provenance and hashes: the smallest print.</summary>
    Small,

    /// <summary>Fixed-width-looking identifiers (hashes) in small print that break anywhere.</summary>
    Code,
}

/// <summary>Title, author, subject and creation time, written to the document's properties (and its PDF/A metadata).</summary>
public sealed record PdfDocumentInfo(string Title, string Author, string Subject, DateTimeOffset CreatedAt, string? Keywords = null);

/// <summary>The running header and footer of one page; null parts are left empty.</summary>
public sealed record PdfRunningText(string? HeaderLeft = null, string? HeaderRight = null, string? FooterLeft = null, string? FooterCenter = null, string? FooterRight = null);

/// <summary>A page as its running text sees it: its number, the document's page count, and its Bates number if the document has them.</summary>
public sealed record PdfPageInfo(int Number, int Count, string? Bates);

/// <summary>How a document is written: its properties, Bates numbering and running text.</summary>
public sealed class PdfDocumentOptions
{
    public required PdfDocumentInfo Info { get; init; }

    /// <summary>Bates prefix (e.g. "ACME-"); null for no Bates numbers.</summary>
    public string? BatesPrefix { get; init; }

    public long BatesStart { get; init; } = 1;

    public int BatesDigits { get; init; } = 6;

    /// <summary>The running text per page; by default "Page x of y" on the left and the Bates number on the right.</summary>
    public Func<PdfPageInfo, PdfRunningText>? Running { get; init; }

    /// <summary>Pages per Skia document before the next begins (they are joined at the end; see <see cref="PdfChunks"/>).</summary>
    internal int PagesPerChunk { get; init; } = PdfChunks.DefaultPagesPerChunk;

    /// <summary>Signs the finished document with this certificate (null: unsigned).</summary>
    public PdfSignatureRequest? Signature { get; init; }

    public string? Bates(int pageNumber) => BatesPrefix is null
        ? null
        : BatesPrefix + (BatesStart + pageNumber - 1).ToString("D" + BatesDigits, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A written document: its page count, the page of each anchor, and its first and last Bates numbers.</summary>
public sealed record PdfResult(int PageCount, IReadOnlyDictionary<string, int> Anchors, string? FirstBates, string? LastBates);

/// <summary>An image as stored (JPEG, PNG, WebP…) with an optional caption below it.</summary>
public sealed record PdfImage(byte[] Encoded, string? Caption = null);

/// <summary>
/// One message as a transcript shows it: who, when, what; the message it replies to; notes such as edits,
/// deletions and reactions; images; and provenance in small print. A notice is set apart from people's messages.
/// </summary>
public sealed record PdfMessage(string Sender, string Time, string Body)
{
    public string? Quote { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<PdfImage> Images { get; init; } = [];
    public IReadOnlyList<string> SmallPrint { get; init; } = [];
    public bool IsNotice { get; init; }
}
