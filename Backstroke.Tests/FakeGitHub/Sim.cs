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
