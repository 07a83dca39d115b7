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
    /// A person who follows a link to something missing (or someone else's) gets a page saying so, not a blank error;
    /// the JSON API keeps its own bodies. Early in the pipeline, so a 404 from authorization gets the page too.
    /// </summary>
    public static IApplicationBuilder UseNotFoundPage(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var request = context.HttpContext.Request;
            if (context.HttpContext.Response.StatusCode == StatusCodes.Status404NotFound
                && !request.Path.StartsWithSegments("/v1") && !request.Path.StartsWithSegments("/api")
                && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(NotFoundPage);
            }
        });

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapStaticAssets();
        endpoints.MapRazorPages().WithStaticAssets();
        return endpoints;
    }

    // The site's layout (header, footer, icon, stylesheet) without anything that needs a signed-in user: this page
    // is written outside MVC, for every kind of request that ends in a 404.
    private const string NotFoundPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Not found · Backstroke</title><link rel="icon" href="/favicon.svg" type="image/svg+xml" /><link rel="stylesheet" href="/css/site.css" /></head>
        <body><a class="skip" href="#main">Skip to content</a>
        <header class="top"><a class="brand" href="/">Backstroke</a><nav class="account" aria-label="Site"><a href="/">Your links</a></nav></header>
        <main id="main"><h1>Not found</h1><p>There is nothing here, or it is not yours to see.</p><p><a href="/">Back to your links</a></p></main>
        <footer class="bottom"><p>Backstroke keeps GitHub forks up to date with their upstream.</p></footer></body></html>
        """;
}
