namespace ComplianceHub.Core.Search;

/// <summary>
/// Marks the words of a message that a query matched, by running the same tokenizer over the body:
/// the highlight agrees with the index on every provider (accents, Chinese pairs, prefixes, phrases).
/// </summary>
public static class SearchHighlighter
{
    public static IReadOnlyList<HighlightSegment> Highlight(string body, SearchQuery? query)
    {
        if (query is null || body.Length == 0)
        {
            return [new HighlightSegment(body, false)];
        }

        var tokens = SearchTokenizer.Tokenize(body);
        var marked = new bool[body.Length];
        foreach (var leaf in query.PositiveLeaves())
        {
            switch (leaf)
            {
                case SearchNode.Term term when SearchTokenizer.IsSingleCjkCharacter(term.Text):
                    // The character wherever it stands in a run: as the start of a pair, or alone at the run's end.
                    foreach (var token in tokens.Where(t => t.Term.Contains(term.Text, StringComparison.Ordinal)))
                    {
                        Array.Fill(marked, true, token.Start + token.Term.IndexOf(term.Text, StringComparison.Ordinal), term.Text.Length);
                    }

                    break;
                case SearchNode.Term term:
                    foreach (var token in tokens.Where(t => Matches(t.Term, term.Text, term.Prefix)))
                    {
                        Mark(marked, token);
                    }

                    break;
                case SearchNode.Phrase phrase:
                    for (var i = 0; i + phrase.Terms.Count <= tokens.Count; i++)
                    {
                        var at = i;
                        if (phrase.Terms.Select((t, k) => Matches(tokens[at + k].Term, t, phrase.Prefix && k == phrase.Terms.Count - 1)).All(m => m))
                        {
                            for (var k = 0; k < phrase.Terms.Count; k++)
                            {
                                Mark(marked, tokens[at + k]);
                            }
                        }
                    }

                    break;
            }
        }

        var segments = new List<HighlightSegment>();
        var start = 0;
        for (var i = 1; i <= body.Length; i++)
        {
            if (i == body.Length || marked[i] != marked[start])
            {
                segments.Add(new HighlightSegment(body[start..i], marked[start]));
                start = i;
            }
        }

        return segments;
    }

    private static bool Matches(string token, string term, bool prefix) =>
        prefix ? token.StartsWith(term, StringComparison.Ordinal) : token == term;

    private static void Mark(bool[] marked, SearchToken token) => Array.Fill(marked, true, token.Start, token.Length);
}
