using Backstroke.Hosting;

namespace Backstroke.GitHub;

/// <summary>What each GitHub account may still send, from the budgets every response updates.</summary>
internal sealed class RateLimitGauges(RateLimitBudgets budgets) : IGaugeSource
{
    public Task RefreshAsync(BackstrokeMetrics metrics, CancellationToken ct)
    {
        foreach (var budget in budgets.Snapshot())
        {
            // The account is a GitHub user id or a short hash of the token: the token itself never leaves memory.
            metrics.RateLimitRemaining.WithLabels(budget.Account).Set(budget.Remaining);
        }

        return Task.CompletedTask;
    }
}
