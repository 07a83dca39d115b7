using Backstroke.FakeGitHub.Http;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub;

/// <summary>
/// github.com's OAuth web flow: the authorize page signs in the session user (set through the control API) at
/// once and redirects back with code and state; the token exchange answers errors as 200 bodies, like GitHub.
/// </summary>
internal static class OAuth
{
    private const string ErrorUri = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

    public static void MapOAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login/oauth/authorize", (HttpContext ctx, FakeGitHubState state) =>
        {
            var q = ctx.Request.Query;
            var clientId = q["client_id"].ToString();
            if (state.OAuth.FindApp(clientId) is null)
            {
                return Results.Content("<h1>404</h1><p>The OAuth application was not found.</p>", "text/html", statusCode: 404);
            }

            if (state.SessionLogin is not { } login)
            {
                return Results.Content("<h1>Sign in to GitHub</h1><p>No simulated user is signed in: PUT /_fake/session {\"login\": \"...\"}.</p>", "text/html", statusCode: 200);
            }

            var redirect = q["redirect_uri"].ToString();
            var scopes = q["scope"].ToString().Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
            var code = state.OAuth.IssueCode(clientId, login, redirect.Length == 0 ? null : redirect, scopes);
            var target = redirect.Length > 0 ? redirect : "/";
            var sep = target.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            return Results.Redirect($"{target}{sep}code={Uri.EscapeDataString(code.Code)}&state={Uri.EscapeDataString(q["state"].ToString())}");
        });

        app.MapPost("/login/oauth/access_token", async (HttpContext ctx, FakeGitHubState state) =>
        {
            var fields = await ReadFieldsAsync(ctx.Request);
            var appInfo = state.OAuth.FindApp(fields.GetValueOrDefault("client_id"));
            string? error = null;
            OAuthCode? code = null;
            if (appInfo is null || appInfo.ClientSecret != fields.GetValueOrDefault("client_secret"))
            {
                error = "incorrect_client_credentials";
            }
            else if ((code = state.OAuth.Redeem(fields.GetValueOrDefault("code"))) is null || code.ClientId != appInfo.ClientId)
            {
                error = "bad_verification_code";
            }
            else if (fields.GetValueOrDefault("redirect_uri") is { Length: > 0 } uri && code.RedirectUri is not null && uri != code.RedirectUri)
            {
                error = "redirect_uri_mismatch";
            }

            var answer = new Dictionary<string, string>();
            if (error is null)
            {
                // Exactly the scopes asked for, as GitHub grants them: a sign-in asking for repo gets no workflow scope.
                var scopes = code!.Scopes;
                var token = "gho_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
                state.AddToken(code.Login, token, scopes);
                answer["access_token"] = token;
                answer["scope"] = string.Join(',', scopes);
                answer["token_type"] = "bearer";
            }
            else
            {
                answer["error"] = error;
                answer["error_description"] = Describe(error);
                answer["error_uri"] = ErrorUri + "#" + error.Replace('_', '-');
            }

            // Errors are 200 on GitHub; JSON only when asked for, otherwise a form-encoded body.
            return ctx.Request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase)
                ? Results.Json(answer)
                : Results.Text(string.Join('&', answer.Select(kv => kv.Key + "=" + Uri.EscapeDataString(kv.Value))), "application/x-www-form-urlencoded; charset=utf-8");
        });
    }

    private static async Task<Dictionary<string, string>> ReadFieldsAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (k, v) in await request.ReadFormAsync())
            {
                fields[k] = v.ToString();
            }
        }
        else if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = await RequestBody.JsonAsync(request);
            foreach (var name in new[] { "client_id", "client_secret", "code", "redirect_uri" })
            {
                if (body.Str(name) is { } v)
                {
                    fields[name] = v;
                }
            }
        }

        foreach (var (k, v) in request.Query)
        {
            fields.TryAdd(k, v.ToString());
        }

        return fields;
    }

    private static string Describe(string error) => error switch
    {
        "incorrect_client_credentials" => "The client_id and/or client_secret passed are incorrect.",
        "redirect_uri_mismatch" => "The redirect_uri MUST match the registered callback URL for this application.",
        _ => "The code passed is incorrect or expired.",
    };
}
