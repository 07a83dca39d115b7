namespace Backstroke.Dashboard;

internal static class DashboardExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        // The pages live beside the rest of the feature instead of in a top-level Pages folder.
        services.AddRazorPages(options => options.RootDirectory = "/Dashboard");
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets();
        endpoints.MapRazorPages().WithStaticAssets();
        return endpoints;
    }
}
