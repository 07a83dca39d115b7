using System.Text.Json;
using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.Links;
using Backstroke.Sync;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Dashboard;

[Authorize]
internal sealed class OperationPageModel(BackstrokeDbContext db, CurrentUser current, OwnedLinks links, TimeProvider time) : PageModel
{
    public Operation Operation { get; private set; } = null!;

    public OperationOutput Output { get; private set; } = OperationOutput.None;

    /// <summary>A fork-all run's forks, each with its own outcome; empty for a single-fork run.</summary>
    public List<ForkRow> Forks { get; private set; } = [];

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public bool Finished => Operation.Status is OperationStatus.Ok or OperationStatus.Error or OperationStatus.Superseded;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var operation = await db.Operations.AsNoTracking().Include(o => o.Link).SingleOrDefaultAsync(o => o.Id == id, HttpContext.RequestAborted);
        // Whoever may see the link (its owner, or for an App's link the fork's owner) and the operators may look; for
        // anyone else it does not exist.
        if (operation is null || (!current.IsAdmin && await links.FindAsync(operation.LinkId, HttpContext.RequestAborted) is null))
        {
            return NotFound();
        }

        Operation = operation;
        Output = OperationOutput.Read(operation.Output);
        if (Output.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("forks", out var forks) && forks.ValueKind == JsonValueKind.Array)
        {
            Forks = [.. forks.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object).Select(ForkRow.From)];
        }

        return Page();
    }
}

internal sealed record ForkRow(string Name, string Status, RunOutcome Outcome)
{
    public static ForkRow From(JsonElement fork)
    {
        var status = fork.TryGetProperty("status", out var s) && s.GetString() == "error" ? "error" : "ok";
        var name = fork.TryGetProperty("fork", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() ?? "" : "";
        return new ForkRow(name, status, RunOutcome.OfTarget(fork));
    }
}
