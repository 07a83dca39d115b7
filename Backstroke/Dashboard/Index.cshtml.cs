using Backstroke.Auth;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Backstroke.Links;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Backstroke.Dashboard;

internal sealed class IndexModel(
    IOptions<GitHubOptions> github, IOptions<BackstrokeOptions> backstroke, CurrentUser current, OwnedLinks links, LinkEditor editor, TimeProvider time) : PageModel
{
    public bool OAuthConfigured => github.Value.OAuthConfigured;

    /// <summary>Where GitHub's form for a new OAuth app lives (github.com or an Enterprise server).</summary>
    public string NewOAuthAppUrl => github.Value.NewOAuthAppUrl;

    public string HomepageUrl => backstroke.Value.PublicUrl.TrimEnd('/');

    public string CallbackUrl => backstroke.Value.Url("/auth/github/callback");

    public User? CurrentUser => current.User;

    public List<LinkRow> Links { get; private set; } = [];

    public int PageNumber { get; private set; }

    public bool HasNextPage { get; private set; }

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(int? p)
    {
        if (!current.SignedIn)
        {
            return;
        }

        PageNumber = Math.Max(0, p ?? 0);
        var rows = await links.PageAsync(PageNumber, extra: 1, HttpContext.RequestAborted);
        HasNextPage = rows.Count > OwnedLinks.PageSize;
        Links = [.. rows.Take(OwnedLinks.PageSize)];
    }

    /// <summary>The old "New link" form: it leads to the form for a new link, which stores nothing until its first save.</summary>
    public IActionResult OnPostCreate() => current.SignedIn ? Redirect("/links/new") : Challenge();

    public async Task<IActionResult> OnPostEnableAsync(string id, bool enabled, int? p)
    {
        if (current.User is not { } user)
        {
            return Challenge();
        }

        if (await links.FindAsync(id, HttpContext.RequestAborted) is not { } link)
        {
            return NotFound();
        }

        var refused = await editor.SetEnabledAsync(user, link, enabled, HttpContext.RequestAborted);
        Message = refused is null
            ? $"{DisplayName(link)} is {(enabled ? "on" : "off")}."
            : $"{DisplayName(link)}: {refused.Message}";
        return Redirect(p is > 0 ? $"/?p={p}" : "/");
    }

    /// <summary>When Backstroke last looked at the link: a poll or push, or the end of any run, manual ones too.</summary>
    public static DateTimeOffset? LastCheck(LinkRow row) =>
        row.LastOperation?.FinishedAt is { } finished && (row.Link.Upstream?.LastCheckedAt is not { } synced || finished > synced) ? finished : row.Link.Upstream?.LastCheckedAt;

    public static string DisplayName(Link link) => string.IsNullOrWhiteSpace(link.Name) ? "Untitled" : link.Name;
}
