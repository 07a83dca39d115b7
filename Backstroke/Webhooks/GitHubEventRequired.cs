using Microsoft.AspNetCore.Routing.Matching;

namespace Backstroke.Webhooks;

/// <summary>
/// Endpoint metadata: the endpoint matches only requests carrying <c>X-GitHub-Event</c>, which GitHub sends with every
/// delivery and a browser's form post never does. The classic webhook shares <c>POST /</c> with the dashboard's home
/// page forms (<c>/?handler=…</c>); with this, routing gives those to the page instead of the webhook.
/// </summary>
internal sealed class GitHubEventRequired
{
    public static readonly GitHubEventRequired Instance = new();
}

/// <summary>Drops the candidates marked <see cref="GitHubEventRequired"/> when the request has no <c>X-GitHub-Event</c>.</summary>
internal sealed class GitHubEventMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<GitHubEventRequired>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        if (httpContext.Request.Headers.ContainsKey("X-GitHub-Event"))
        {
            return Task.CompletedTask;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Endpoint.Metadata.GetMetadata<GitHubEventRequired>() is not null)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
