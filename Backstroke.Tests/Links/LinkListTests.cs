using System.Net;
using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.LinksApi;

/// <summary>The links list, in the API and on the home page: each link with its last run, read in one query.</summary>
public sealed class LinkListTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int LinkCount = 6;

    // EF Core logs each command it runs at Information under this category; the app's log is read from the test output.
    private readonly AppWithGitHub env = new() { Settings = { ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command"] = "Information" } };
    private readonly SqlLog sql = new(output);

    public async Task InitializeAsync()
    {
        await env.InitializeAsync();
        env.WithOutput(sql);
    }

    public Task DisposeAsync() => env.DisposeAsync();

    [Fact]
    public async Task The_api_lists_each_link_with_its_last_operation_from_one_query()
    {
        var login = AppWithGitHub.NewLogin("many");
        using var client = await env.SignInAsync(login);
        var latest = await SeedAsync(login);

        sql.Clear();
        var page = await client.GetJsonAsync("/v1/links");

        sql.Reading("/v1/links", "Operations").Should().Be(1, "the last operations come with the links, not one query per link");
        sql.Reading("/v1/links", "Users").Should().Be(1, "the signed-in user is read once per request, when the session is checked");
        var data = page.GetProperty("data").EnumerateArray().ToList();
        data.Should().HaveCount(LinkCount);
        foreach (var link in data)
        {
            link.GetProperty("status").GetProperty("lastOperation").GetProperty("id").GetString()
                .Should().Be(latest[link.GetProperty("id").GetString()!], "the newest operation of each link is its last one");
        }
    }

    [Fact]
    public async Task The_home_page_lists_each_link_with_its_last_run_from_one_query()
    {
        var login = AppWithGitHub.NewLogin("home");
        using var client = await env.SignInAsync(login);
        var latest = await SeedAsync(login);

        sql.Clear();
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        sql.Reading("/", "Operations").Should().Be(1, "the last runs come with the links, not one query per link");
        sql.Reading("/", "Users").Should().Be(1, "the page and its layout share the request's one read of the signed-in user");
        foreach (var operationId in latest.Values)
        {
            html.Should().Contain($"/operations/{operationId}");
        }

        html.Should().Contain("Already up to date", "the last run's outcome is shown in words");
    }

    /// <summary>Links of the signed-in user, each with an older and a newer finished operation; the newer ids by link.</summary>
    private Task<Dictionary<string, string>> SeedAsync(string login) => env.App.WithDbAsync(async db =>
    {
        var user = await db.Users.SingleAsync(u => u.Login == login);
        var latest = new Dictionary<string, string>();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < LinkCount; i++)
        {
            var link = TestLinks.Link(user, "up/proj@main", $"{login}/proj@main", name: $"Link {i}");
            link.CreatedAt = start.AddMinutes(i);
            db.Links.Add(link);
            db.Operations.Add(Finished(link, start.AddMinutes(i), "{\"many\":false,\"forkCount\":1,\"message\":\"An older run.\"}"));
            var newer = Finished(link, start.AddMinutes(i + 30), "{\"many\":false,\"forkCount\":1,\"message\":\"The upstream and fork are already up to date.\"}");
            db.Operations.Add(newer);
            latest[link.Id] = newer.Id;
        }

        await db.SaveChangesAsync();
        return latest;
    });

    private static Operation Finished(Link link, DateTimeOffset at, string output) => new()
    {
        Id = Ids.NewOperationId(),
        LinkId = link.Id,
        Kind = OperationKind.Manual,
        Status = OperationStatus.Ok,
        Attempts = 1,
        EnqueuedAt = at,
        StartedAt = at,
        FinishedAt = at,
        Output = output,
    };

    /// <summary>The app's log lines, passed on to the test output, with the SQL commands among them counted.</summary>
    private sealed class SqlLog(ITestOutputHelper output) : ITestOutputHelper
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> commands = new();

        public void Clear() => commands.Clear();

        /// <summary>Commands run for the request to <paramref name="path"/> since <see cref="Clear"/> that read <paramref name="table"/>.</summary>
        public int Reading(string path, string table) => commands.Count(c => c.Contains($"({path}):", StringComparison.Ordinal)
            && (c.Contains($"FROM \"{table}\"", StringComparison.Ordinal) || c.Contains($"JOIN \"{table}\"", StringComparison.Ordinal)));

        public void WriteLine(string message)
        {
            if (message.Contains("Executed DbCommand", StringComparison.Ordinal))
            {
                commands.Enqueue(message);
            }

            output.WriteLine(message);
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
