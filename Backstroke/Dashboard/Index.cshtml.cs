using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Links;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Backstroke.Dashboard;

internal sealed record LinkRow(Link Link, Operation? LastOperation);

internal sealed class IndexModel(
    IOptions<GitHubOptions> github, IOptions<BackstrokeOptions> backstroke, BackstrokeDbContext db, LinkEditor editor, TimeProvider time) : PageModel
{
    public bool OAuthConfigured => github.Value.OAuthConfigured;

    /// <summary>Where GitHub's form for a new OAuth app lives (github.com or an Enterprise server).</summary>
    public string NewOAuthAppUrl => github.Value.NewOAuthAppUrl;

    public string HomepageUrl => backstroke.Value.PublicUrl.TrimEnd('/');

    public string CallbackUrl => backstroke.Value.Url("/auth/github/callback");

    public User? CurrentUser { get; private set; }

    public bool IsAdmin => backstroke.Value.IsAdmin(CurrentUser?.Login);

    public List<LinkRow> Links { get; } = [];

    public int PageNumber { get; private set; }

    public bool HasNextPage { get; private set; }

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(int? p)
    {
        CurrentUser = await db.LoadUserAsync(User, HttpContext.RequestAborted);
        if (CurrentUser is null)
        {
            return;
        }

        PageNumber = Math.Max(0, p ?? 0);
        var links = await db.Links.Where(l => l.OwnerId == CurrentUser.Id).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip(PageNumber * LinksApi.PageSize).Take(LinksApi.PageSize + 1).ToListAsync(HttpContext.RequestAborted);
        HasNextPage = links.Count > LinksApi.PageSize;
        foreach (var link in links.Take(LinksApi.PageSize))
        {
            Links.Add(new LinkRow(link, await editor.LastOperationAsync(link.Id, HttpContext.RequestAborted)));
        }
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (await db.LoadUserAsync(User, HttpContext.RequestAborted) is not { } user)
        {
            return Challenge();
        }

        var link = await editor.CreateAsync(user, HttpContext.RequestAborted);
        return Redirect($"/links/{link.Id}");
    }

    public async Task<IActionResult> OnPostEnableAsync(string id, bool enabled, int? p)
    {
        if (User.UserId() is not { } userId)
        {
            return Challenge();
        }

        if (await editor.FindOwnedAsync(userId, id, HttpContext.RequestAborted) is not { } link)
        {
            return NotFound();
        }

        var refused = await editor.SetEnabledAsync(link, enabled, HttpContext.RequestAborted);
        Message = refused is null
            ? $"{DisplayName(link)} is {(enabled ? "on" : "off")}."
            : $"{DisplayName(link)}: {refused.Message}";
        return Redirect(p is > 0 ? $"/?p={p}" : "/");
    }

    public static string DisplayName(Link link) => string.IsNullOrWhiteSpace(link.Name) ? "Untitled" : link.Name;
}
