using Backstroke.Hosting;

namespace Backstroke.GitHub;

/// <summary>What each token may still send to GitHub, from the budgets every response updates.</summary>
internal sealed class RateLimitGauges(RateLimitBudgets budgets) : IGaugeSource
{
    public Task RefreshAsync(BackstrokeMetrics metrics, CancellationToken ct)
    {
        foreach (var budget in budgets.Snapshot())
        {
            // The key is a short hash of the token (RateLimitBudgets.KeyFor): the token itself never leaves memory.
            metrics.RateLimitRemaining.WithLabels(budget.TokenKey).Set(budget.Remaining);
        }

        return Task.CompletedTask;
    }
}
