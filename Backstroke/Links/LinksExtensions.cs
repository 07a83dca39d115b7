
namespace Backstroke.Links;

internal static class LinksExtensions
{
    public static IServiceCollection AddLinks(this IServiceCollection services)
    {
        services.AddScoped<OwnedLinks>();
        services.AddScoped<LinkEditor>();
        services.AddScoped<SyncNow>();
        services.AddSingleton<GitHubRepos>();
        services.AddSingleton<UpstreamHook>();
        services.AddSingleton<AdministeredForks>();
        return services;
    }

    public static IEndpointRouteBuilder MapLinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapLinksApi();
        return endpoints;
    }
}
