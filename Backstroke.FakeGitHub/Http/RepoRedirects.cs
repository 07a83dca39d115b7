using System.Globalization;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Http;

/// <summary>
/// GitHub's answers for moved repositories: the old name answers 301 (GET) or 307 (other methods) pointing at
/// /repositories/{id}, and /repositories/{id}/... is served as the repository's current name. Runs before routing.
/// </summary>
internal sealed class RepoRedirects(RequestDelegate next, FakeGitHubState state)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var parts = path.Split('/', 5);
        if (parts.Length >= 3 && parts[1] == "repositories" && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var id))
        {
            if (state.FindRepo(id) is { } byId)
            {
                ctx.Request.Path = "/repos/" + byId.FullName + Rest(parts, 3);
            }
        }
        else if (parts.Length >= 4 && parts[1] == "repos" && state.FindRepo(parts[2], parts[3]) is null
            && state.FindRenamed(parts[2], parts[3]) is { } moved && state.PermissionOf(moved, ctx.Caller().Grant) is not null)
        {
            var location = $"{ctx.BaseUrl()}repositories/{moved.Id}{Rest(parts, 4)}{ctx.Request.QueryString}";
            var status = HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method) ? 301 : 307;
            var body = Json.JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("message", status == 301 ? "Moved Permanently" : "Temporary Redirect");
                w.WriteString("url", location);
                w.WriteString("documentation_url", "https://docs.github.com/v3/#http-redirects");
                w.WriteEndObject();
            });
            await Gh.Json(status, body, location: location).ExecuteAsync(ctx);
            return;
        }

        await next(ctx);
    }

    private static string Rest(string[] parts, int from) => parts.Length > from ? "/" + string.Join('/', parts[from..]) : "";
}
