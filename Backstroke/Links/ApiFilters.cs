using Backstroke.Hosting;
using System.Text.Json;
using Backstroke.GitHub;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Backstroke.Links;

/// <summary>What every signed-in JSON endpoint shares: errors as <c>{"error"}</c>, JSON-only changes, GitHub trouble as 502.</summary>
internal static class ApiFilters
{
    public static JsonHttpResult<ErrorJson> Error(int status, string message) => ErrorJson.Result(status, message);

    /// <summary>
    /// A cross-site HTML form can only send form or text bodies; insisting on JSON for every change means no other
    /// site can make a signed-in user's browser change their links.
    /// </summary>
    public static async ValueTask<object?> RequireJsonForChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !request.HasJsonContentType())
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, "Send this request with the header Content-Type: application/json.");
        }

        return await next(context);
    }

    public static async ValueTask<object?> GitHubTrouble(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (GitHubException exception)
        {
            var (status, message) = GitHubRepos.Explain(exception);
            return Error(status, message);
        }
    }

    /// <summary>The body as JSON, or null when it is empty or not JSON at all.</summary>
    public static async Task<JsonElement?> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 32 }, request.HttpContext.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
