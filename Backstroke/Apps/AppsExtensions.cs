using Backstroke.GitHub;

namespace Backstroke.Apps;

internal static class AppsExtensions
{
    /// <summary>GitHub App mode (docs/operating.md, "GitHub App"): App JWTs, installation tokens, the installations
    /// table kept current, and the links the App makes for the forks it is installed on. Idle without <c>GitHub:AppId</c>.</summary>
    public static IServiceCollection AddApps(this IServiceCollection services)
    {
        services.AddSingleton<AppJwt>();
        services.AddSingleton<InstallationTokens>();
        services.AddScoped<AppLinks>();
        services.AddSingleton<InstallationSync>();
        services.AddHostedService(provider => provider.GetRequiredService<InstallationSync>());
        return services;
    }
}
