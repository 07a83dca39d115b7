using System.Net.Http.Headers;
using Backstroke.FakeGitHub;
using Octokit;
using Octokit.Internal;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>Clients for a simulator, configured the way Backstroke configures them.</summary>
internal static class Sim
{
    public static GitHubClient Octokit(FakeGitHubServer server, string? token = null)
    {
        var connection = token is null
            ? new Connection(new Octokit.ProductHeaderValue("backstroke-tests"), server.BaseUrl)
            : new Connection(new Octokit.ProductHeaderValue("backstroke-tests"), server.BaseUrl, new InMemoryCredentialStore(new Credentials(token)));
        return new GitHubClient(connection);
    }

    public static HttpClient Http(FakeGitHubServer server, string? token = null)
    {
        var http = new HttpClient { BaseAddress = server.BaseUrl };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("backstroke-tests");
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        }

        return http;
    }

    /// <summary>Signs the user in through the OAuth web flow asking for <paramref name="scope"/>; returns the token.</summary>
    public static async Task<string> SignInAsync(FakeGitHubServer server, string login, string scope)
    {
        server.SetSessionUser(login);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        using var authorize = await browser.GetAsync($"login/oauth/authorize?client_id=fake-client-id&redirect_uri=http%3A%2F%2Fapp.test%2Fcallback&scope={Uri.EscapeDataString(scope)}&state=s");
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Headers.Location!.Query)["code"].ToString();
        var token = await Octokit(server).Oauth.CreateAccessToken(new OauthTokenRequest("fake-client-id", "fake-client-secret", code));
        return token.AccessToken;
    }

    /// <summary>Sends a JSON body (or none) and hands back the answer.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return http.SendAsync(request);
    }

    public static async Task<System.Text.Json.JsonElement> JsonAsync(HttpResponseMessage response) =>
        System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>An upstream with one extra commit and a fork of it owned by "forker", both with tokens.</summary>
    public static async Task<FakeGitHubServer> StartWithForkAsync(FakeGitHubServerOptions? options = null)
    {
        var server = await FakeGitHubServer.StartAsync(options);
        server.CreateUser("maintainer", "maintainer-token");
        server.CreateUser("forker", "forker-token");
        server.CreateRepo("maintainer", "project");
        server.CreateRepo("forker", "project", forkOf: "maintainer/project");
        return server;
    }
}
