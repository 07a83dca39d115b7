namespace Backstroke.Polling;

/// <summary>How long an upstream whose checks keep failing (or a link whose syncs do) is left alone: doubling from one <c>StaleAfter</c>, at most
/// six hours, so a broken upstream or link costs a few requests a day instead of one every ten minutes.</summary>
internal static class PollBackoff
{
    public static readonly TimeSpan Max = TimeSpan.FromHours(6);

    public static TimeSpan After(int consecutiveFailures, TimeSpan staleAfter)
    {
        var doublings = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var delay = staleAfter * Math.Pow(2, doublings);
        return delay > Max ? Max : delay;
    }
}
