using System.Net;
using Backstroke.FakeGitHub;
using Microsoft.Extensions.Time.Testing;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>GitHub's secondary limits, per account: concurrency, points a minute, content creation a minute and an hour.</summary>
public sealed class SecondaryRateLimitTests
{
    private const string Secondary = "You have exceeded a secondary rate limit";

    [Fact]
    public async Task Nine_hundred_points_a_minute_with_writes_counting_five()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await Sim.StartWithForkAsync(new FakeGitHubServerOptions { TimeProvider = clock });
        server.State.AddToken("forker", "forker-second-token", ["repo"]);
        using var http = Sim.Http(server, "forker-token");

        (await Sim.SendAsync(http, "POST", "repos/forker/project/labels", """{"name":"five-points"}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        for (var i = 0; i < 894; i++)
        {
            (await http.GetAsync("user")).EnsureSuccessStatusCode();
        }

        using var last = await http.GetAsync("user");
        using var refused = await Sim.Http(server, "forker-second-token").GetAsync("user");
        using var otherAccount = await Sim.Http(server, "maintainer-token").GetAsync("user");
        clock.Advance(TimeSpan.FromSeconds(61));
        using var later = await http.GetAsync("user");

        last.StatusCode.Should().Be(HttpStatusCode.OK, "5 + 895 = 900 points");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the account's other token shares the points");
        (await Sim.JsonAsync(refused)).GetProperty("message").GetString().Should().StartWith(Secondary);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(60));
        refused.Headers.GetValues("x-ratelimit-remaining").Should().NotEqual(["0"], "it is not the primary limit");
        otherAccount.StatusCode.Should().Be(HttpStatusCode.OK);
        later.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Eighty_content_creating_requests_a_minute_and_five_hundred_an_hour()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await Sim.StartWithForkAsync(new FakeGitHubServerOptions { TimeProvider = clock });
        using var http = Sim.Http(server, "maintainer-token");
        var created = 0;
        HttpResponseMessage? perMinute = null;
        HttpResponseMessage? perHour = null;
        for (var minute = 0; minute < 7 && perHour is null; minute++)
        {
            for (var i = 0; i < 81; i++)
            {
                var answer = await Sim.SendAsync(http, "POST", "repos/maintainer/project/issues", $$"""{"title":"Issue {{created}}"}""");
                if (answer.StatusCode == HttpStatusCode.Created)
                {
                    created++;
                    continue;
                }

                if (created < 500)
                {
                    perMinute ??= answer;
                }
                else
                {
                    perHour = answer;
                }

                break;
            }

            clock.Advance(TimeSpan.FromSeconds(61));
        }

        created.Should().Be(500);
        perMinute!.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        perMinute.Headers.RetryAfter.Should().NotBeNull();
        (await Sim.JsonAsync(perMinute)).GetProperty("message").GetString().Should().StartWith(Secondary);
        perHour!.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        perHour.Headers.RetryAfter.Should().BeNull("GitHub does not always say when to retry");
        (await Sim.Http(server, "maintainer-token").GetAsync("repos/maintainer/project")).StatusCode.Should().Be(HttpStatusCode.OK, "reads are not content");
    }

    [Fact]
    public async Task At_most_a_hundred_requests_in_flight_per_account()
    {
        await using var server = await Sim.StartWithForkAsync();
        // Long enough that all 101 are in flight together even on a loaded machine.
        server.SetLatency(3000);
        using var http = Sim.Http(server, "forker-token");

        var answers = await Task.WhenAll(Enumerable.Range(0, 101).Select(_ => http.GetAsync("user")));

        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.OK).ToList();
        refused.Should().ContainSingle().Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refused[0].Headers.RetryAfter.Should().BeNull();
        (await Sim.JsonAsync(refused[0])).GetProperty("message").GetString().Should().StartWith(Secondary);
    }

    [Fact]
    public async Task A_server_option_turns_them_off_for_load_tests()
    {
        await using var server = await Sim.StartWithForkAsync(new FakeGitHubServerOptions { SecondaryRateLimits = false });
        using var http = Sim.Http(server, "maintainer-token");

        for (var i = 0; i < 81; i++)
        {
            (await Sim.SendAsync(http, "POST", "repos/maintainer/project/issues", """{"title":"Bulk"}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        }
    }
}
