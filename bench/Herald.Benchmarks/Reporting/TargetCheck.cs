namespace Herald.Benchmarks.Reporting;

/// <summary>A target and whether this run met it.</summary>
public sealed record TargetCheck(string Target, string Measured, bool Pass)
{
    /// <summary>
    /// A ratio target over rounds: it passes only when every round's ratio is on the right side of
    /// <paramref name="limit"/> (at most it when <paramref name="atMost"/>), so a range that straddles the target does not count.
    /// </summary>
    public static TargetCheck ForRatios(string target, IReadOnlyList<double> ratios, double limit, bool atMost, string? context = null)
    {
        var spread = Spread.Of(ratios);
        if (spread.Count == 0)
        {
            return new TargetCheck(target, "not measured" + (context is null ? "" : ": " + context), false);
        }
        var missing = ratios.Count - spread.Count;
        var allPass = missing == 0 && (atMost ? spread.Max <= limit : spread.Min >= limit);
        var allFail = atMost ? spread.Min > limit : spread.Max < limit;
        var text = $"{spread.Format("0.00", "×")} over {spread.Count} round{(spread.Count == 1 ? "" : "s")}";
        if (!allPass && !allFail)
        {
            text += missing > 0 ? $"; {missing} round(s) without a figure" : "; the range straddles the target, so it does not count";
        }
        return new TargetCheck(target, text + (context is null ? "" : "; " + context), allPass);
    }
}
