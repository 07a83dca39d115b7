using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backstroke.Webhooks;

internal static class WebhooksExtensions
{
    /// <summary>GitHub webhooks, and the original Backstroke's routes kept for compatibility.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<LegacyOptions>().BindConfiguration(LegacyOptions.Section).ValidateOnStart();
        services.AddSingleton<DeliveryLedger>();
        services.AddScoped<PushHandler>();
        services.AddScoped<RepositoryHandler>();
        services.AddSingleton<ClassicGitHub>();
        services.AddSingleton<ClassicPushQueue>();
        services.AddHostedService<ClassicPushWorker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GitHubEventMatcherPolicy>());
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/webhooks/github", GitHubWebhookEndpoint.HandleAsync)
            // GitHub posts without antiforgery tokens or cookies; the signature is the authentication.
            .DisableAntiforgery();

        if (endpoints.ServiceProvider.GetRequiredService<IOptions<LegacyOptions>>().Value.ClassicWebhooks)
        {
            endpoints.MapPost("/", ClassicWebhookEndpoint.HandleAsync).DisableAntiforgery().WithMetadata(GitHubEventRequired.Instance);
        }

        // The original API lived under /api/v1; 308 keeps the method and body, so old scripts' POSTs still work.
        endpoints.Map("/api/v1/{**rest}", (HttpContext context) =>
            TypedResults.Redirect(context.Request.PathBase + context.Request.Path.Value!["/api".Length..] + context.Request.QueryString, permanent: true, preserveMethod: true));
        return endpoints;
    }
}
