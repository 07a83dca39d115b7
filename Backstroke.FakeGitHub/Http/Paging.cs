using System.Globalization;
using System.Text;

namespace Backstroke.FakeGitHub.Http;

/// <summary>GitHub's page/per_page paging with an absolute Link header (Octokit ignores relative ones).</summary>
internal static class Paging
{
    public static (int Page, int PerPage) Parse(HttpRequest request)
    {
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(request.Query["per_page"], CultureInfo.InvariantCulture, out var pp) && pp > 0 ? Math.Min(pp, 100) : 30;
        return (page, perPage);
    }

    public static List<T> Slice<T>(IReadOnlyList<T> all, HttpContext ctx, out string? link)
    {
        var (page, perPage) = Parse(ctx.Request);
        link = Link(ctx, page, perPage, all.Count);
        return all.Skip((page - 1) * perPage).Take(perPage).ToList();
    }

    /// <summary>prev/next/last/first as GitHub orders them; null when everything fits on one page.</summary>
    public static string? Link(HttpContext ctx, int page, int perPage, int total)
    {
        var last = Math.Max(1, (total + perPage - 1) / perPage);
        if (last == 1 && page == 1)
        {
            return null;
        }

        var parts = new List<string>();
        if (page > 1)
        {
            parts.Add(Rel(ctx, Math.Min(page - 1, last), perPage, "prev"));
        }

        if (page < last)
        {
            parts.Add(Rel(ctx, page + 1, perPage, "next"));
            parts.Add(Rel(ctx, last, perPage, "last"));
        }

        if (page > 1)
        {
            parts.Add(Rel(ctx, 1, perPage, "first"));
        }

        return string.Join(", ", parts);
    }

    private static string Rel(HttpContext ctx, int page, int perPage, string rel)
    {
        var query = new StringBuilder();
        foreach (var (key, value) in ctx.Request.Query)
        {
            if (key is not ("page" or "per_page"))
            {
                query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value.ToString())).Append('&');
            }
        }

        query.Append("per_page=").Append(perPage).Append("&page=").Append(page);
        return $"<{ctx.BaseUrl()}{PagePath(ctx)}?{query}>; rel=\"{rel}\"";
    }

    /// <summary>
    /// A repository's lists link to their pages by the repository's id, /repositories/{id}/..., as GitHub's do
    /// (recorded session paginate-issues.json); the simulator serves those paths (<see cref="RepoRedirects"/>).
    /// </summary>
    private static string PagePath(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value!.TrimStart('/');
        var parts = path.Split('/', 4);
        return parts is ["repos", var owner, var name, var rest] && ctx.State().FindRepo(owner, name) is { } repo
            ? $"repositories/{repo.Id.ToString(CultureInfo.InvariantCulture)}/{rest}"
            : path;
    }
}
