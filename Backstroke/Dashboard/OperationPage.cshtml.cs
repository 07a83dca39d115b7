using System.Text.Json;
using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Dashboard;

[Authorize]
internal sealed class OperationPageModel(BackstrokeDbContext db, IOptions<BackstrokeOptions> backstroke, TimeProvider time) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Operation Operation { get; private set; } = null!;

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public bool Finished => Operation.Status is OperationStatus.Ok or OperationStatus.Error or OperationStatus.Superseded;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var user = await db.LoadUserAsync(User, HttpContext.RequestAborted);
        var operation = await db.Operations.Include(o => o.Link).SingleOrDefaultAsync(o => o.Id == id, HttpContext.RequestAborted);
        // The link's owner and the operators may look; for anyone else it does not exist.
        if (user is null || operation is null || (operation.Link!.OwnerId != user.Id && !backstroke.Value.IsAdmin(user.Login)))
        {
            return NotFound();
        }

        Operation = operation;
        return Page();
    }

    /// <summary>Stored output is JSON; shown indented, or as it is when it is not JSON.</summary>
    public static string Pretty(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return output;
        }
    }
}
