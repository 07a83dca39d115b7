using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Backstroke.Benchmarks.Harness;

/// <summary>One request as the simulator's log shows it (<c>GET /_fake/requests</c>).</summary>
internal sealed record LoggedRequest(string Method, string Path, string Query, int Status, bool Counted, DateTimeOffset At);

/// <summary>The simulator's control API (<c>/_fake/</c>, neither logged nor rate-limited) and the few GitHub API calls
/// the harness makes itself.</summary>
internal sealed class SimulatorClient(Uri baseUrl) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };

    public Uri BaseUrl => baseUrl;

    public async Task<bool> AnswersAsync()
    {
        try
        {
            using var response = await http.GetAsync(new Uri("_fake/faults", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public Task CreateUserAsync(string login, string? token) => SendOnlyAsync(HttpMethod.Post, "_fake/users", new { login, token });

    /// <summary>A budget large enough that no scenario runs into the primary rate limit by accident.</summary>
    public Task SetRateLimitAsync(string token, int limit) =>
        SendOnlyAsync(HttpMethod.Put, "_fake/rate-limit", new { token, limit, remaining = limit, resetInSeconds = 3600 });

    public Task CreateRepoAsync(string owner, string name, string? forkOf = null) => SendOnlyAsync(HttpMethod.Post, "_fake/repos", new { owner, name, forkOf });

    public async Task<string> CommitAsync(string owner, string repo, string branch, string message)
    {
        using var response = await PostAsync($"_fake/repos/{owner}/{repo}/commits", new { branch, message });
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("sha").GetString()!;
    }

    public async Task<int> PullRequestCountAsync(string owner, string repo)
    {
        using var response = await http.GetAsync(new Uri($"_fake/repos/{owner}/{repo}/pulls", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetArrayLength();
    }

    public Task SetLatencyAsync(int delayMs) => SendOnlyAsync(HttpMethod.Put, "_fake/latency", new { delayMs });

    /// <summary>Shortens the simulator's rate-limit windows (primary hour, secondary minute and hour) by <paramref name="factor"/>.</summary>
    public Task SetTimeScaleAsync(double factor) => SendOnlyAsync(HttpMethod.Put, "_fake/time-scale", new { factor });

    public Task CreateLabelAsync(string owner, string repo, string name) => SendOnlyAsync(HttpMethod.Post, $"_fake/repos/{owner}/{repo}/labels", new { name });

    public Task SetSecondaryLimitsAsync(bool enabled) => SendOnlyAsync(HttpMethod.Put, "_fake/secondary-limits", new { enabled });

    public Task ClearRequestsAsync() => SendOnlyAsync(HttpMethod.Delete, "_fake/requests", null);

    public async Task<IReadOnlyList<LoggedRequest>> RequestsAsync()
    {
        using var response = await http.GetAsync(new Uri("_fake/requests", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        return await JsonSerializer.DeserializeAsync<List<LoggedRequest>>(body, Json) ?? [];
    }

    /// <summary>The head SHA and ETag of a branch, exactly as the poller's conditional probe asks for them.</summary>
    public async Task<(string Sha, string ETag)> BranchHeadAsync(string owner, string repo, string branch, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"repos/{owner}/{repo}/commits/{branch}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github.sha"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadAsStringAsync()).Trim(), response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The simulator sent no ETag."));
    }

    /// <summary>A repository webhook, created through the API as the repository's admin would.</summary>
    public async Task CreateHookAsync(string owner, string repo, string token, Uri url, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"repos/{owner}/{repo}/hooks", UriKind.Relative))
        {
            Content = JsonContent.Create(new { name = "web", active = true, events = new[] { "push" }, config = new { url = url.ToString(), content_type = "json", secret } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating a hook on {owner}/{repo} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, object body) => await SendAsync(HttpMethod.Post, path, body);

    private async Task SendOnlyAsync(HttpMethod method, string path, object? body)
    {
        using var response = await SendAsync(method, path, body);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"Simulator {method} {path} failed: {(int)response.StatusCode} {text}");
        }

        return response;
    }

    public void Dispose() => http.Dispose();
}
