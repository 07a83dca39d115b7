using System.Security.Cryptography;
using System.Text.Json;
using Backstroke.FakeGitHub.Json;

namespace Backstroke.FakeGitHub.Http;

/// <summary>Answers in GitHub's shapes: JSON with ETags and 304s, and errors as message + documentation_url.</summary>
internal static class Gh
{
    public const string Docs = "https://docs.github.com/rest";

    public static IResult Json(int status, byte[] body, string? link = null, string? location = null) =>
        new GitHubJsonResult(status, body, "application/json; charset=utf-8", link, location);

    public static IResult Json(int status, Action<Utf8JsonWriter> write, string? link = null) => Json(status, JsonOut.Write(write), link);

    /// <summary>A bare body such as the sha of application/vnd.github.sha; still conditional.</summary>
    public static IResult Text(string body, string contentType) =>
        new GitHubJsonResult(200, System.Text.Encoding.UTF8.GetBytes(body), contentType, null, null);

    public static IResult Error(int status, string message, string docs = Docs) => Json(status, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteString("documentation_url", docs);
        w.WriteString("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndObject();
    });

    public static IResult NotFound(string docs = Docs) => Error(404, "Not Found", docs);

    /// <summary>
    /// A blocked repository: 451 with reason "dmca" for a takedown (ossf/allstar issue 36, python-github-backup issue
    /// 163, github/rest-api-description issue 3314), 403 with the same message for one disabled for its terms of
    /// service (fork-cleaner issue 99).
    /// </summary>
    public static IResult Blocked(int status, DateTimeOffset since) => Json(status, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", RepoAccess.Blocked);
        w.WriteStartObject("block");
        w.WriteString("reason", status == 451 ? "dmca" : "tos");
        w.WriteString("created_at", JsonOut.Date(since));
        if (status == 451)
        {
            w.WriteString("html_url", "https://github.com/github/dmca");
        }

        w.WriteEndObject();
        w.WriteString("documentation_url", Docs);
        w.WriteString("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteEndObject();
    });

    /// <summary>422 Validation Failed with one error entry, GitHub's shape for refused writes.</summary>
    public static IResult Validation(string resource, string code, string? field = null, string? message = null, string docs = Docs) => Json(422, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", "Validation Failed");
        w.WriteStartArray("errors");
        w.WriteStartObject();
        w.WriteString("resource", resource);
        w.WriteString("code", code);
        if (field is not null)
        {
            w.WriteString("field", field);
        }

        if (message is not null)
        {
            w.WriteString("message", message);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("documentation_url", docs);
        w.WriteString("status", "422");
        w.WriteEndObject();
    });

    /// <summary>
    /// A weak tag over what GitHub hashes: the Accept header, the caller's credential and the body, so the same resource
    /// has another tag for another token or media type (bored-engineer/github-conditional-http-transport: SHA-256
    /// over Accept, Authorization, Cookie and the body; weak W/ tags are what GitHub mostly sends).
    /// </summary>
    public static string ETagOf(ReadOnlySpan<byte> body, string accept = "", string authorization = "")
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(accept + "\n" + authorization + "\n"));
        sha.AppendData(body);
        return "W/\"" + Convert.ToHexStringLower(sha.GetHashAndReset()[..16]) + "\"";
    }

    /// <summary>True when If-None-Match names this ETag (weak or strong, in a list, or *).</summary>
    public static bool Matches(string? ifNoneMatch, string etag)
    {
        if (string.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        foreach (var part in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ is ignored on both sides.
            if (part == "*" || Opaque(part) == Opaque(etag))
            {
                return true;
            }
        }

        return false;
    }

    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
}

internal sealed class GitHubJsonResult(int status, byte[] body, string contentType, string? link, string? location) : IResult
{
    public async Task ExecuteAsync(HttpContext ctx)
    {
        var response = ctx.Response;
        if (link is not null)
        {
            response.Headers.Link = link;
        }

        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (HttpMethods.IsGet(ctx.Request.Method) && status == 200)
        {
            // GitHub's ETags depend on the representation and on who asks: unchanged data for the same token and
            // Accept, same tag; any change, new tag.
            // The credential, not the header's spelling: "token T" and "Bearer T" are the same caller.
            var etag = Gh.ETagOf(body, ctx.Request.Headers.Accept.ToString(), ctx.Request.BearerToken() ?? ctx.Request.Headers.Authorization.ToString());
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "private, max-age=60, s-maxage=60";
            response.Headers.Vary = "Accept, Authorization, Cookie, X-GitHub-OTP";
            if (Gh.Matches(ctx.Request.Headers.IfNoneMatch.ToString(), etag))
            {
                response.StatusCode = 304;
                return;
            }
        }

        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, ctx.RequestAborted);
    }
}
