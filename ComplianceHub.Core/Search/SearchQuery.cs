using System.Text;

namespace ComplianceHub.Core.Search;

/// <summary>A search text the user typed that cannot be run, with where in it the problem is.</summary>
public sealed class SearchQueryException(string message, int position) : Exception(message)
{
    /// <summary>Zero-based character position in the query text.</summary>
    public int Position { get; } = position;
}

/// <summary>
/// A parsed full-text query. The language is the one search boxes share: words (all must occur),
/// <c>"exact phrase"</c>, <c>prefix*</c>, <c>AND</c>, <c>OR</c>, <c>NOT</c> or a leading <c>-</c>, and
/// parentheses; operators are written in capitals, so "and" in lower case is a word. OR binds looser
/// than AND. Words are cut into terms by <see cref="SearchTokenizer"/>, so a word that holds several
/// terms ("e-mail", a run of Chinese) is matched as a phrase of them.
/// </summary>
public sealed class SearchQuery
{
    private SearchQuery(SearchNode root, string text)
    {
        Root = root;
        Text = text;
    }

    public SearchNode Root { get; }

    /// <summary>The query as typed.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="SearchQueryException"/> saying what is wrong and where.</summary>
    public static SearchQuery Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(Lex(text));
        var root = parser.ParseAll();
        if (root is null)
        {
            throw new SearchQueryException("There is nothing to search for: type a word, a \"phrase\" or a prefix*.", 0);
        }

        if (root is SearchNode.Not)
        {
            throw new SearchQueryException("A search cannot only exclude words: add a word the messages must contain.", 0);
        }

        Validate(root);
        return new SearchQuery(root, text);
    }

    /// <summary>The terms and phrases a hit contains for this query, for highlighting (excluded words are not shown).</summary>
    public IReadOnlyList<SearchNode> PositiveLeaves()
    {
        var leaves = new List<SearchNode>();
        Collect(Root, leaves);
        return leaves;

        static void Collect(SearchNode node, List<SearchNode> into)
        {
            switch (node)
            {
                case SearchNode.Term or SearchNode.Phrase:
                    into.Add(node);
                    break;
                case SearchNode.And and:
                    and.Children.ForEach(c => Collect(c, into));
                    break;
                case SearchNode.Or or:
                    or.Children.ForEach(c => Collect(c, into));
                    break;
            }
        }
    }

    /// <summary>An exclusion needs something to exclude from: every NOT must stand in an AND with a positive part.</summary>
    private static void Validate(SearchNode node)
    {
        switch (node)
        {
            case SearchNode.And and:
                if (and.Children.All(c => c is SearchNode.Not))
                {
                    throw new SearchQueryException("A group cannot only exclude words: add a word the messages must contain.", 0);
                }

                and.Children.ForEach(Validate);
                break;
            case SearchNode.Or or:
                if (or.Children.Any(c => c is SearchNode.Not))
                {
                    throw new SearchQueryException("NOT cannot stand alone on one side of OR: write it next to a word, as in \"(a OR b) NOT c\".", 0);
                }

                or.Children.ForEach(Validate);
                break;
            case SearchNode.Not not:
                if (not.Child is SearchNode.Not)
                {
                    throw new SearchQueryException("NOT NOT cancels out: remove both.", 0);
                }

                Validate(not.Child);
                break;
        }
    }

    private enum LexKind
    {
        Word,
        Phrase,
        And,
        Or,
        Not,
        Open,
        Close,
    }

    private readonly record struct Lexeme(LexKind Kind, string Text, int Position, bool Prefix = false);

    private static List<Lexeme> Lex(string text)
    {
        var lexemes = new List<Lexeme>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                lexemes.Add(new Lexeme(LexKind.Open, "(", i++));
            }
            else if (c == ')')
            {
                lexemes.Add(new Lexeme(LexKind.Close, ")", i++));
            }
            else if (c is '"' or '\u201C' or '\u201D' or '\u201E')
            {
                var close = text.IndexOfAny(['"', '\u201C', '\u201D'], i + 1);
                if (close < 0)
                {
                    throw new SearchQueryException($"The phrase starting at character {i + 1} has no closing quote.", i);
                }

                var prefix = close + 1 < text.Length && text[close + 1] == '*';
                lexemes.Add(new Lexeme(LexKind.Phrase, text[(i + 1)..close], i, prefix));
                i = close + 1 + (prefix ? 1 : 0);
            }
            else if (c == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && (i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] == '('))
            {
                lexemes.Add(new Lexeme(LexKind.Not, "-", i++));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '"' or '\u201C' or '\u201D' or '\u201E'))
                {
                    i++;
                }

                var word = text[start..i];
                lexemes.Add(word switch
                {
                    "AND" or "&&" => new Lexeme(LexKind.And, word, start),
                    "OR" or "||" => new Lexeme(LexKind.Or, word, start),
                    "NOT" => new Lexeme(LexKind.Not, word, start),
                    _ when word.Length > 1 && word.EndsWith('*') => new Lexeme(LexKind.Word, word.TrimEnd('*'), start, Prefix: true),
                    _ => new Lexeme(LexKind.Word, word, start),
                });
            }
        }

        return lexemes;
    }

    private sealed class Parser(List<Lexeme> lexemes)
    {
        private int _next;

        public SearchNode? ParseAll()
        {
            var node = ParseOr();
            if (_next < lexemes.Count)
            {
                var stray = lexemes[_next];
                throw new SearchQueryException($"Unexpected \"{stray.Text}\" at character {stray.Position + 1}: there is no \"(\" for it to close.", stray.Position);
            }

            return node;
        }

        private Lexeme? Peek => _next < lexemes.Count ? lexemes[_next] : null;

        private SearchNode? ParseOr()
        {
            var children = new List<SearchNode>();
            var first = ParseAnd();
            if (first is not null)
            {
                children.Add(first);
            }

            while (Peek is { Kind: LexKind.Or } or)
            {
                _next++;
                var right = ParseAnd();
                if (right is null || first is null)
                {
                    throw Dangling(or);
                }

                children.Add(right);
            }

            return children.Count switch
            {
                0 => null,
                1 => children[0],
                _ => new SearchNode.Or(children),
            };
        }

        private SearchNode? ParseAnd()
        {
            var children = new List<SearchNode>();
            while (Peek is { } lexeme && lexeme.Kind is not (LexKind.Or or LexKind.Close))
            {
                if (lexeme.Kind == LexKind.And)
                {
                    _next++;
                    if (children.Count == 0 || Peek is null or { Kind: LexKind.Or or LexKind.Close or LexKind.And })
                    {
                        throw Dangling(lexeme);
                    }

                    continue;
                }

                if (ParseUnary() is { } node)
                {
                    children.Add(node);
                }
            }

            return children.Count switch
            {
                0 => null,
                1 => children[0],
                _ => new SearchNode.And(children),
            };
        }

        private SearchNode? ParseUnary()
        {
            var lexeme = lexemes[_next++];
            switch (lexeme.Kind)
            {
                case LexKind.Not:
                    if (Peek is null or { Kind: LexKind.Or or LexKind.And or LexKind.Close })
                    {
                        throw Dangling(lexeme);
                    }

                    var child = ParseUnary();
                    return child is null ? null : new SearchNode.Not(child);
                case LexKind.Open:
                    var inner = ParseOr();
                    if (Peek is not { Kind: LexKind.Close })
                    {
                        throw new SearchQueryException($"The \"(\" at character {lexeme.Position + 1} is never closed.", lexeme.Position);
                    }

                    _next++;
                    return inner;
                default:
                    return Leaf(lexeme.Text, lexeme.Prefix);
            }
        }

        /// <summary>A word or phrase as terms: none (only punctuation) is skipped, one is a term, several a phrase.</summary>
        private static SearchNode? Leaf(string text, bool prefix)
        {
            var terms = SearchTokenizer.Tokenize(text).Select(t => t.Term).ToList();
            return terms.Count switch
            {
                0 => null,
                // One Chinese or Japanese character is the start of the pairs (and run ends) that hold it.
                1 => new SearchNode.Term(terms[0], prefix || SearchTokenizer.IsSingleCjkCharacter(terms[0])),
                _ => new SearchNode.Phrase(terms, prefix),
            };
        }

        private SearchQueryException Dangling(Lexeme op)
        {
            var where = op.Position + 1;
            return new SearchQueryException($"\"{op.Text}\" at character {where} needs a word on {(op.Kind == LexKind.Not ? "its right" : "both sides")}.", op.Position);
        }
    }
}

/// <summary>A node of a parsed query.</summary>
public abstract record SearchNode
{
    /// <summary>One term; with <paramref name="Prefix"/>, any term starting with it.</summary>
    public sealed record Term(string Text, bool Prefix) : SearchNode;

    /// <summary>Terms next to each other in this order; with <paramref name="Prefix"/>, the last one is a prefix.</summary>
    public sealed record Phrase(IReadOnlyList<string> Terms, bool Prefix) : SearchNode;

    public sealed record And(List<SearchNode> Children) : SearchNode;

    public sealed record Or(List<SearchNode> Children) : SearchNode;

    public sealed record Not(SearchNode Child) : SearchNode;

    /// <summary>The node in SQLite FTS5 query syntax: every term quoted, so user text is never syntax.</summary>
    public static string ToFts5(SearchNode node) => node switch
    {
        Term t => Quote(t.Text) + (t.Prefix ? "*" : ""),
        Phrase p => Quote(string.Join(' ', p.Terms)) + (p.Prefix ? "*" : ""),
        Or o => "(" + string.Join(" OR ", o.Children.Select(ToFts5)) + ")",
        And a => AndToFts5(a),
        Not n => throw new InvalidOperationException("A NOT is rendered by its AND: " + ToFts5(n.Child)),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    /// <summary>The node as a PostgreSQL <c>tsquery</c> literal of finished lexemes (never re-parsed by a text search configuration).</summary>
    public static string ToTsQuery(SearchNode node) => node switch
    {
        Term t => Lexeme(t.Text) + (t.Prefix ? ":*" : ""),
        Phrase p => "(" + string.Join(" <-> ", p.Terms.Select((term, i) => Lexeme(term) + (p.Prefix && i == p.Terms.Count - 1 ? ":*" : ""))) + ")",
        Or o => "(" + string.Join(" | ", o.Children.Select(ToTsQuery)) + ")",
        And a => "(" + string.Join(" & ", a.Children.Select(c => c is Not n ? "!" + ToTsQuery(n.Child) : ToTsQuery(c))) + ")",
        Not n => "!" + ToTsQuery(n.Child),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    private static string AndToFts5(And and)
    {
        var positives = and.Children.Where(c => c is not Not).Select(ToFts5).ToList();
        var negatives = and.Children.OfType<Not>().Select(n => ToFts5(n.Child)).ToList();
        var text = new StringBuilder("(").Append(string.Join(" AND ", positives)).Append(')');
        if (negatives.Count > 0)
        {
            text.Insert(0, '(').Append(" NOT (").Append(string.Join(" OR ", negatives)).Append("))");
        }

        return text.ToString();
    }

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Lexeme(string term) => "'" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}
