namespace ComplianceHub.Core.Policies;

public enum PolicyDiffKind
{
    Same,
    Removed,
    Added,
    Changed,
}

/// <summary>One row of a side-by-side comparison: the older version's line on the left, the newer's on the right (null where there is none).</summary>
public sealed record PolicyDiffRow(PolicyDiffKind Kind, int? LeftNumber, string? Left, int? RightNumber, string? Right);

/// <summary>
/// Compares two versions' Markdown line by line (longest common subsequence, after the unchanged start and end are set
/// aside), pairing a run of removed lines with the run of added lines that replaces it so that a side-by-side view
/// shows an edited paragraph opposite its new text.
/// </summary>
public static class PolicyDiff
{
    public static IReadOnlyList<PolicyDiffRow> Compare(string older, string newer)
    {
        var a = Lines(older);
        var b = Lines(newer);
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var rows = new List<PolicyDiffRow>();
        for (var i = 0; i < prefix; i++)
        {
            rows.Add(new PolicyDiffRow(PolicyDiffKind.Same, i + 1, a[i], i + 1, b[i]));
        }

        var n = a.Length - prefix - suffix;
        var m = b.Length - prefix - suffix;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var removed = new List<int>();
        var added = new List<int>();
        void Flush()
        {
            for (var k = 0; k < Math.Max(removed.Count, added.Count); k++)
            {
                int? l = k < removed.Count ? removed[k] : null;
                int? r = k < added.Count ? added[k] : null;
                var kind = l is not null && r is not null ? PolicyDiffKind.Changed : l is not null ? PolicyDiffKind.Removed : PolicyDiffKind.Added;
                rows.Add(new PolicyDiffRow(kind, l + 1, l is { } li ? a[li] : null, r + 1, r is { } ri ? b[ri] : null));
            }

            removed.Clear();
            added.Clear();
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[prefix + x] == b[prefix + y])
            {
                Flush();
                rows.Add(new PolicyDiffRow(PolicyDiffKind.Same, prefix + x + 1, a[prefix + x], prefix + y + 1, b[prefix + y]));
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                added.Add(prefix + y++);
            }
            else
            {
                removed.Add(prefix + x++);
            }
        }

        Flush();
        for (var k = 0; k < suffix; k++)
        {
            var i = a.Length - suffix + k;
            var j = b.Length - suffix + k;
            rows.Add(new PolicyDiffRow(PolicyDiffKind.Same, i + 1, a[i], j + 1, b[j]));
        }

        return rows;
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
}
