using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.GitHub;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Dashboard;

internal sealed record BudgetRow(string Account, int Limit, int Remaining, DateTimeOffset ResetAt, DateTimeOffset? HoldUntil);

/// <summary>The operators' view: queue, running operations, rate-limit budgets, recent operations.</summary>
[Authorize(Policy = AdminPolicy.Name)]
internal sealed class SystemPageModel(BackstrokeDbContext db, TimeProvider time, RateLimitBudgets budgets, ActivitySampler activity) : PageModel
{
    public const int RecentCount = 20;

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public int QueueDepth { get; private set; }

    public List<Operation> Running { get; private set; } = [];

    public List<Operation> Recent { get; private set; } = [];

    public IReadOnlyList<BudgetRow> Budgets { get; private set; } = [];

    /// <summary>The last hour, a sample a minute, oldest first.</summary>
    public IReadOnlyList<ActivitySample> Activity { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        QueueDepth = await db.Operations.CountAsync(o => o.Status == OperationStatus.Queued, ct);
        Running = await db.Operations.Include(o => o.Link).Where(o => o.Status == OperationStatus.Running).OrderBy(o => o.StartedAt).Take(50).ToListAsync(ct);
        Recent = await db.Operations.Include(o => o.Link).OrderByDescending(o => o.EnqueuedAt).ThenByDescending(o => o.Id).Take(RecentCount).ToListAsync(ct);
        Budgets = SystemBudgets.Read(budgets);
        Activity = activity.Samples;
        return Page();
    }
}
