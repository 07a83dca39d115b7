using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.GitHub;

internal static class GitHubExtensions
{
    public static IServiceCollection AddGitHub(this IServiceCollection services)
    {
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidator>();
        services.AddSingleton<TokenProtector>();
        services.AddSingleton<RateLimitBudgets>();
        services.AddSingleton<SecondaryLimitPacer>();
        services.AddGaugeSource<RateLimitGauges>();
        services.AddSingleton<GitHubClients>();
        return services;
    }
}
