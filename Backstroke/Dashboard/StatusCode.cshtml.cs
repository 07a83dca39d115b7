using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backstroke.Dashboard;

/// <summary>
/// The page a browser gets for a request that ended in an error status without a body of its own (a missing page, or
/// someone else's link): drawn in the site's layout, so a signed-in user keeps the header and their way back. The
/// original status is kept; asked for directly, the page is itself not found.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
internal sealed class StatusCodeModel : PageModel
{
    public string Title { get; private set; } = "";

    public string Sentence { get; private set; } = "";

    public IActionResult OnGet(int code) => Draw(code);

    // A form posted to a missing page re-executes as a POST.
    public IActionResult OnPost(int code) => Draw(code);

    private IActionResult Draw(int code)
    {
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not { } original)
        {
            return NotFound();
        }

        // The JSON API and scripts keep their own (empty or JSON) answers; only a browser asking for a page gets one.
        if (original.OriginalPath.StartsWith("/v1", StringComparison.OrdinalIgnoreCase)
            || original.OriginalPath.StartsWith("/api", StringComparison.OrdinalIgnoreCase)
            || !Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return new EmptyResult();
        }

        (Title, Sentence) = code switch
        {
            StatusCodes.Status404NotFound => ("Not found", "There is nothing here, or it is not yours to see."),
            StatusCodes.Status400BadRequest => ("Bad request", "The request could not be understood. If it came from a form, go back, reload the page and try again."),
            StatusCodes.Status405MethodNotAllowed => ("Not allowed", "This address does not take that kind of request."),
            >= 500 => ("Something went wrong", "Backstroke could not answer just now. Try again in a moment."),
            _ => ("Request refused", $"Backstroke refused the request ({code})."),
        };
        return Page();
    }
}
