namespace Backstroke.Dashboard;

internal static class DashboardExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        // The pages live beside the rest of the feature instead of in a top-level Pages folder.
        services.AddRazorPages(options => options.RootDirectory = "/Dashboard");
        services.AddSingleton<ActivitySampler>();
        services.AddHostedService(provider => provider.GetRequiredService<ActivitySampler>());
        return services;
    }

    /// <summary>
    /// A person who follows a link to something missing (or someone else's) gets a page saying so, in the site's
    /// layout, not a blank error (the page leaves other clients' answers empty). Early in the pipeline, so a 404 from
    /// authorization gets the page too; the re-executed request passes authentication again, so the header shows who
    /// is signed in.
    /// </summary>
    public static IApplicationBuilder UseNotFoundPage(this IApplicationBuilder app) =>
        app.UseStatusCodePagesWithReExecute("/status-code/{0}");

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets();
        endpoints.MapRazorPages().WithStaticAssets();
        return endpoints;
    }
}
