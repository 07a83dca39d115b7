using System.Net;
using System.Text;
using System.Text.Json;
using Backstroke.FakeGitHub;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Backstroke.Tests.Support;

/// <summary>
/// The app in process, talking over real HTTP to a GitHub simulator that also plays github.com's OAuth pages, with an
/// OAuth app configured; users sign in through the real web flow. One per test class (a class fixture): tests make
/// their own users with <see cref="NewLogin"/> so they never see each other's links.
/// </summary>
public sealed class AppWithGitHub : IAsyncLifetime
{
    /// <summary>The test server's own address: the OAuth callback must come back to it.</summary>
    public static readonly Uri AppAddress = new("http://localhost/");

    private FakeGitHubServer? github;
    private BackstrokeApplication? app;

    internal FakeGitHubServer GitHub => github ?? throw new InvalidOperationException("Not started.");

    internal BackstrokeApplication App => app ?? throw new InvalidOperationException("Not started.");

    /// <summary>Settings on top of the simulator's, e.g. <c>Backstroke:Admins</c>.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    public static string NewLogin(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public async Task InitializeAsync()
    {
        github = await FakeGitHubServer.StartAsync();
        app = new BackstrokeApplication(TestSettings.WithSignIn(github.BaseUrl, AppAddress, Settings));
        _ = app.Server;
    }

    /// <summary>Sends the app's log to the output of the test about to run; returns this fixture.</summary>
    public AppWithGitHub WithOutput(ITestOutputHelper output)
    {
        App.Output = output;
        return this;
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        if (github is not null)
        {
            await github.DisposeAsync();
        }
    }

    /// <summary>A client with no session (cookies kept, redirects not followed).</summary>
    public HttpClient Anonymous(Uri? baseAddress = null) =>
        App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = baseAddress ?? AppAddress });

    /// <summary>Signs <paramref name="login"/> in through /setup/login, GitHub's authorize page and the callback.</summary>
    public async Task<HttpClient> SignInAsync(string login, string loginPath = "/setup/login")
    {
        GitHub.CreateUser(login);
        var client = Anonymous();
        var callback = await AuthorizeAsync(client, login, loginPath);
        using var done = await client.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
        done.StatusCode.Should().Be(HttpStatusCode.Redirect, "the callback ends the sign-in with a redirect home");
        return client;
    }

    /// <summary>The first half of the flow: where GitHub sends the browser back to, with code and state.</summary>
    public async Task<Uri> AuthorizeAsync(HttpClient client, string login, string loginPath = "/setup/login")
    {
        GitHub.SetSessionUser(login);
        using var challenge = await client.GetAsync(new Uri(loginPath, UriKind.Relative));
        challenge.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var authorize = challenge.Headers.Location!;
        authorize.GetLeftPart(UriPartial.Authority).Should().Be(GitHub.BaseUrl.GetLeftPart(UriPartial.Authority), "sign-in goes to GitHub:WebUrl");

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await browser.GetAsync(authorize);
        consent.StatusCode.Should().Be(HttpStatusCode.Redirect);
        return consent.Headers.Location!;
    }

    /// <summary>A repository fork owned by <paramref name="owner"/> of a fresh upstream, both with a main branch.</summary>
    internal (string Upstream, string Fork) CreateForkPair(string owner, string upstreamOwner)
    {
        var repo = "lib" + Guid.NewGuid().ToString("N")[..6];
        GitHub.CreateUser(owner);
        GitHub.CreateUser(upstreamOwner);
        GitHub.CreateRepo(upstreamOwner, repo);
        GitHub.Commit(upstreamOwner, repo, "main", "first");
        GitHub.CreateRepo(owner, repo, forkOf: $"{upstreamOwner}/{repo}");
        return ($"{upstreamOwner}/{repo}", $"{owner}/{repo}");
    }
}

/// <summary>JSON requests as the dashboard and scripts send them.</summary>
internal static class JsonRequests
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object value) => Json(JsonSerializer.Serialize(value));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body = null) =>
        client.PostAsync(new Uri(path, UriKind.Relative), body is string s ? Json(s) : Json(body ?? new { }));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.Content.Headers.ContentType.Should().NotBeNull($"a JSON answer was expected, got {(int)response.StatusCode}: {text}");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await response.ReadJsonAsync();
    }

    public static async Task<string> ErrorOf(this HttpResponseMessage response) =>
        (await response.ReadJsonAsync()).GetProperty("error").GetString()!;

    /// <summary>A new link of the signed-in user; its id.</summary>
    public static async Task<string> CreateLinkAsync(this HttpClient client)
    {
        using var response = await client.PostJsonAsync("/v1/links");
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    public static object LinkBody(string name, string upstream, string fork, string branch = "main", string? syncMode = null, bool? enabled = null) => new
    {
        name,
        enabled,
        upstream = new { type = "repo", owner = upstream.Split('/')[0], repo = upstream.Split('/')[1], branch, branches = new[] { branch } },
        fork = new { type = "repo", owner = fork.Split('/')[0], repo = fork.Split('/')[1], branch, branches = new[] { branch } },
        syncMode,
    };
}
