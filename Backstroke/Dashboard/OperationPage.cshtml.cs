using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.Sync;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Dashboard;

[Authorize]
internal sealed class OperationPageModel(BackstrokeDbContext db, CurrentUser current, TimeProvider time) : PageModel
{
    public Operation Operation { get; private set; } = null!;

    public OperationOutput Output { get; private set; } = OperationOutput.None;

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public bool Finished => Operation.Status is OperationStatus.Ok or OperationStatus.Error or OperationStatus.Superseded;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var operation = await db.Operations.AsNoTracking().Include(o => o.Link).SingleOrDefaultAsync(o => o.Id == id, HttpContext.RequestAborted);
        // The link's owner and the operators may look; for anyone else it does not exist.
        if (current.User is not { } user || operation is null || (operation.Link!.OwnerId != user.Id && !current.IsAdmin))
        {
            return NotFound();
        }

        Operation = operation;
        Output = OperationOutput.Read(operation.Output);
        return Page();
    }
}
