using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Hosting;
using Microsoft.Extensions.Options;

namespace Backstroke.Links;

/// <summary>
/// Installs Backstroke's push webhook on a link's upstream (SPEC §5), so that a push reaches Backstroke in seconds
/// instead of at the next poll. GitHub lets only the upstream's admins manage its hooks; for everyone else it
/// answers 404, which becomes a sentence rather than an error page.
/// </summary>
internal sealed class UpstreamHook(GitHubClients github, TokenProtector tokens, IOptions<GitHubOptions> gitHub, IOptions<BackstrokeOptions> backstroke)
{
    /// <summary>Without a webhook secret Backstroke refuses every delivery, so offering the hook would be a trap.</summary>
    public bool Available => !string.IsNullOrEmpty(gitHub.Value.WebhookSecret);

    public string HookUrl => backstroke.Value.Url("/webhooks/github");

    /// <summary>Installs the hook unless it is there already; answers with a sentence for the user either way.</summary>
    public async Task<string> InstallAsync(User user, Link link, CancellationToken ct)
    {
        if (!Available)
        {
            return "Webhooks are not set up on this Backstroke: its operator has to set GitHub:WebhookSecret first.";
        }

        if (string.IsNullOrEmpty(link.UpstreamOwner) || string.IsNullOrEmpty(link.UpstreamRepo))
        {
            return "Choose the upstream repository first.";
        }

        if (tokens.Unprotect(user.AccessTokenProtected) is not { } token)
        {
            return "Your GitHub token can't be read any more; sign in again.";
        }

        var repo = $"{link.UpstreamOwner}/{link.UpstreamRepo}";
        var path = $"repos/{Uri.EscapeDataString(link.UpstreamOwner)}/{Uri.EscapeDataString(link.UpstreamRepo)}/hooks";
        try
        {
            using var list = await SendAsync(HttpMethod.Get, path, token, null, ct);
            if (list.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
            {
                return $"Only an admin of {repo} can install its webhook; ask one to add {HookUrl} for push events.";
            }

            if (list.IsSuccessStatusCode && await AlreadyThereAsync(list, ct))
            {
                return $"The webhook is already installed on {repo}.";
            }

            var body = new
            {
                name = "web",
                active = true,
                events = new[] { "push", "repository" },
                config = new { url = HookUrl, content_type = "json", secret = gitHub.Value.WebhookSecret, insecure_ssl = "0" },
            };
            using var created = await SendAsync(HttpMethod.Post, path, token, JsonContent.Create(body), ct);
            return created.IsSuccessStatusCode
                ? $"Installed the webhook on {repo}: pushes now reach Backstroke within seconds."
                : $"GitHub refused to install the webhook on {repo} ({(int)created.StatusCode}).";
        }
        catch (Exception exception) when (exception is HttpRequestException or GitHubRateLimitedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return $"GitHub could not be reached to install the webhook on {repo}; try again in a moment.";
        }
    }

    private async Task<bool> AlreadyThereAsync(HttpResponseMessage list, CancellationToken ct)
    {
        using var hooks = await JsonDocument.ParseAsync(await list.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        return hooks.RootElement.ValueKind == JsonValueKind.Array && hooks.RootElement.EnumerateArray().Any(hook =>
            hook.TryGetProperty("config", out var config) && config.TryGetProperty("url", out var url)
            && string.Equals(url.GetString(), HookUrl, StringComparison.OrdinalIgnoreCase));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? content, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        return github.Rest.SendAsync(request, ct);
    }
}
