using Backstroke.GitHub;

namespace Backstroke.Dashboard;

/// <summary>Rate-limit budgets per token, keyed by a short hash of the token, never the token itself.</summary>
internal static class SystemBudgets
{
    public static IReadOnlyList<BudgetRow> Read(RateLimitBudgets budgets) =>
        [.. budgets.Snapshot().OrderBy(b => b.Remaining).ThenBy(b => b.TokenKey)
            .Select(b => new BudgetRow(b.TokenKey, b.Limit, b.Remaining, b.ResetAt, b.HoldUntil))];
}
