using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Backstroke.GitHub;

/// <summary>What a call needs besides its path: a body, an <c>Accept</c>, the answers it handles itself.</summary>
internal sealed record GitHubCall(HttpMethod Method, GitHubPath Path)
{
    public object? Body { get; init; }

    public string? Accept { get; init; }

    public string? IfNoneMatch { get; init; }

    /// <summary>Follow GitHub's redirects for a renamed or transferred repository (on the API host only).</summary>
    public bool FollowRedirects { get; init; }

    /// <summary>Statuses the caller reads itself instead of getting a <see cref="GitHubException"/>.</summary>
    public IReadOnlySet<HttpStatusCode> Expected { get; init; } = new HashSet<HttpStatusCode>();
}

/// <summary>
/// The one place that sends requests to GitHub and turns what goes wrong into <see cref="GitHubException"/>: it
/// sets the token and the headers, resolves the escaped <see cref="GitHubPath"/> against <c>GitHub:ApiUrl</c>,
/// follows only redirects and <c>Link</c> pages that stay on the API host (the token goes nowhere else), and reads
/// JSON. Rate limits and budgets are <see cref="RateLimitHandler"/>'s business, below it.
/// </summary>
internal sealed class GitHubHttp(HttpClient http, Uri apiRoot)
{
    private const int MaxRedirects = 3;

    /// <summary>Sends the call; the answer is a success, a 304, or one of <see cref="GitHubCall.Expected"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(string token, GitHubCall call, CancellationToken ct)
    {
        var uri = new Uri(apiRoot, call.Path.ToString());
        for (var hop = 0; ; hop++)
        {
            var response = await SendOnceAsync(token, call, uri, ct);
            if (IsRedirect(response.StatusCode) && call.FollowRedirects && hop < MaxRedirects
                && response.Headers.Location is { } location && OnApiHost(new Uri(uri, location)) is { } next)
            {
                response.Dispose();
                uri = next;
                continue;
            }

            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified || call.Expected.Contains(response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                throw await GitHubException.FromAsync(response, ct);
            }
        }
    }

    /// <summary>The answer's JSON, or a transient failure when it is not JSON (a proxy's page, a cut-off body).</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new GitHubException(GitHubFailure.Transient, (int)response.StatusCode, "GitHub's answer could not be read.", inner: exception);
        }
    }

    /// <summary>Every page of a list, following GitHub's absolute <c>Link: rel="next"</c> while it stays on the API host.</summary>
    public async Task<List<JsonElement>> GetPagesAsync(string token, GitHubPath first, int maxPages, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        Uri? next = new(apiRoot, first.ToString());
        for (var page = 0; next is not null && page < maxPages; page++)
        {
            using var response = await SendAsync(token, new GitHubCall(HttpMethod.Get, first) { FollowRedirects = true }, next, ct);
            var json = await ReadJsonAsync(response, ct);
            items.AddRange(json.ValueKind == JsonValueKind.Array ? json.EnumerateArray() : []);
            next = NextPage(response) is { } link && Uri.TryCreate(link, UriKind.Absolute, out var absolute) ? OnApiHost(absolute) : null;
        }

        return items;
    }

    private async Task<HttpResponseMessage> SendAsync(string token, GitHubCall call, Uri uri, CancellationToken ct)
    {
        // A page after the first is GitHub's own URL; the call's path only names the first.
        var response = await SendOnceAsync(token, call, uri, ct);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await GitHubException.FromAsync(response, ct);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(string token, GitHubCall call, Uri uri, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(call.Method, uri);
        // The App's own endpoints take its JWT only as a bearer credential.
        request.Headers.Authorization = new AuthenticationHeaderValue(AppJwt.IsJwt(token) ? "Bearer" : "token", token);
        if (call.Accept is { } accept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        if (call.IfNoneMatch is { Length: > 0 } etag)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        if (call.Body is { } body)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException exception)
        {
            throw GitHubException.Unreachable($"GitHub could not be reached ({exception.HttpRequestError}).", exception);
        }
        catch (TaskCanceledException exception) when (!ct.IsCancellationRequested && !GitHubCancellation.Current.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation that nobody asked for.
            throw GitHubException.Unreachable("GitHub did not answer in time.", exception);
        }
        catch (IOException exception)
        {
            throw GitHubException.Unreachable("The connection to GitHub broke.", exception);
        }
    }

    /// <summary>GitHub's <c>Link</c> header names the next page with an absolute URL.</summary>
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var part in string.Join(",", values).Split(','))
        {
            var segments = part.Split(';');
            if (segments.Length > 1 && segments[1..].Any(s => s.Trim() == "rel=\"next\""))
            {
                return segments[0].Trim().TrimStart('<').TrimEnd('>');
            }
        }

        return null;
    }

    /// <summary>The address when it is on the API's own scheme, host and port (and under its path); otherwise null.</summary>
    private Uri? OnApiHost(Uri candidate) =>
        candidate.IsAbsoluteUri && candidate.Scheme == apiRoot.Scheme && candidate.IdnHost == apiRoot.IdnHost && candidate.Port == apiRoot.Port
        && candidate.AbsolutePath.StartsWith(apiRoot.AbsolutePath, StringComparison.Ordinal)
            ? candidate
            : null;

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
