using Ganss.Xss;
using Markdig;
using Markdig.Syntax;

namespace ComplianceHub.Core.Policies;

/// <summary>
/// A policy's Markdown as HTML a page may show: Markdig with raw HTML disabled (it is written out as text), then
/// HtmlSanitizer (no script or style, no event handlers, links only to http, https and mailto). The one way policy text
/// becomes markup.
/// </summary>
public static class PolicyMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseListExtras()
        .UseAutoLinks()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>
    /// The text as plain blocks in reading order, for print (a receipt's copy of what was signed): headings with their
    /// level (1–6; 0 for any other block), list items marked with a bullet or their number, no markup.
    /// </summary>
    public static IReadOnlyList<(int Level, string Text)> ToPlainBlocks(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var blocks = new List<(int, string)>();
        foreach (var block in document.Descendants().OfType<LeafBlock>())
        {
            var text = block.Inline is { } inline
                ? Text(inline).Trim()
                : markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start)).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (block.Parent is ListItemBlock item && item.Parent is ListBlock list)
            {
                text = (list.IsOrdered ? $"{item.Order}. " : "\u2022 ") + text;
            }

            blocks.Add((block is HeadingBlock heading ? heading.Level : 0, text));
        }

        return blocks;
    }

    /// <summary>The words of a run of inlines: emphasis and links give their text, a soft line break a space.</summary>
    private static string Text(Markdig.Syntax.Inlines.ContainerInline container)
    {
        var text = new System.Text.StringBuilder();
        foreach (var inline in container.Descendants<Markdig.Syntax.Inlines.Inline>())
        {
            switch (inline)
            {
                case Markdig.Syntax.Inlines.LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case Markdig.Syntax.Inlines.CodeInline code:
                    text.Append(code.Content);
                    break;
                case Markdig.Syntax.Inlines.AutolinkInline link:
                    text.Append(link.Url);
                    break;
                case Markdig.Syntax.Inlines.LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
            }
        }

        return text.ToString();
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" })
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }

        foreach (var tag in new[] { "style", "form", "input", "button", "select", "textarea", "option" })
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedCssProperties.Clear();
        return sanitizer;
    }
}
