using Backstroke.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backstroke.Dashboard;

/// <summary>
/// <c>GET /logout</c> shows the sign-out button; <c>POST /logout</c>, with the page's antiforgery token, signs out. A
/// plain link would let any other site sign a visitor out with an image tag.
/// </summary>
[IgnoreAntiforgeryToken]
internal sealed class LogoutModel(IAntiforgery antiforgery) : PageModel
{
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Checked here rather than by the page filter, so a stale form gets a sentence instead of a bare 400.
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            Error = "This sign-out form has expired or came from another site. Use the button below to sign out.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await Sessions.EndAllAsync(HttpContext);
        return Redirect("/");
    }
}
