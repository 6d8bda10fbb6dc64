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
            var source = markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start));
            var text = block switch
            {
                HeadingBlock => Markdown.ToPlainText(source.TrimStart('#', ' '), Pipeline).Trim(),
                CodeBlock => source.Trim(),
                _ => Markdown.ToPlainText(source, Pipeline).Trim(),
            };
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
