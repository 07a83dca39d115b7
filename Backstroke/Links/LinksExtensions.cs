using Backstroke.GitHub;
using Microsoft.Extensions.Options;

namespace Backstroke.Links;

internal static class LinksExtensions
{
    public static IServiceCollection AddLinks(this IServiceCollection services)
    {
        services.AddScoped<LinkEditor>();
        services.AddScoped<SyncNow>();
        services.AddSingleton<GitHubRepos>();
        services.AddHttpClient(GitHubRepos.ClientName, (provider, client) =>
        {
            var github = provider.GetRequiredService<IOptions<GitHubOptions>>().Value;
            client.BaseAddress = github.ApiUri;
            client.Timeout = TimeSpan.FromSeconds(15);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Backstroke/1.0");
            client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
        })
            // The same budgets as the sync engine's calls: the system page shows them, and a spent token waits.
            .AddHttpMessageHandler(provider => new RateLimitHandler(provider.GetRequiredService<RateLimitBudgets>(), provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapLinksApi();
        return endpoints;
    }
}
