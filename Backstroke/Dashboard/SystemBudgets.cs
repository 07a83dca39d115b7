using Backstroke.GitHub;

namespace Backstroke.Dashboard;

/// <summary>Rate-limit budgets per GitHub account (<c>user:&lt;id&gt;</c>, or a short hash of the token), never a token itself.</summary>
internal static class SystemBudgets
{
    public static IReadOnlyList<BudgetRow> Read(RateLimitBudgets budgets) =>
        [.. budgets.Snapshot().OrderBy(b => b.Remaining).ThenBy(b => b.Account)
            .Select(b => new BudgetRow(b.Account, b.Limit, b.Remaining, b.ResetAt, b.HoldUntil))];
}
