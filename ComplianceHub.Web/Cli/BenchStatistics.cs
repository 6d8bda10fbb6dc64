namespace ComplianceHub.Web.Cli;

internal static class BenchStatistics
{
    /// <summary>The nearest-rank percentile (0–1) of <paramref name="values"/> (sorted in place); 0 when empty.</summary>
    public static double Percentile(List<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)Math.Ceiling(percentile * values.Count) - 1)];
    }
}
