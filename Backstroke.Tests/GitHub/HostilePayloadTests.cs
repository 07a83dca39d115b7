using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Backstroke.Tests.Support;
using Backstroke.Tests.Webhooks;

namespace Backstroke.Tests.GitHub;

/// <summary>
/// Names that arrive in GitHub's own webhook payloads are checked with the same rules as any other: a signed
/// "renamed" event cannot write a name into a link that would later steer a GitHub address.
/// </summary>
public sealed class HostilePayloadTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    [Theory]
    [InlineData("octocoders", "..")]
    [InlineData("octocoders", "%2e%2e")]
    [InlineData("octocoders", "a?b")]
    [InlineData("..", "proj")]
    [InlineData("victim/project/git/refs/heads", "main")]
    public async Task A_rename_to_a_hostile_name_is_refused_and_leaves_the_links_as_they_were(string newOwner, string newName)
    {
        var user = await fixture.UserAsync("renamer");
        var oldName = "proj-" + Guid.NewGuid().ToString("N")[..6];
        var link = LinkSeed.Link(user, $"octocoders/{oldName}@main", $"{user.Login}/fork@main");
        await fixture.AddLinksAsync(link);
        var payload = new JsonObject
        {
            ["action"] = "renamed",
            ["changes"] = new JsonObject { ["repository"] = new JsonObject { ["name"] = new JsonObject { ["from"] = oldName } } },
            ["repository"] = new JsonObject
            {
                ["full_name"] = $"{newOwner}/{newName}",
                ["name"] = newName,
                ["owner"] = new JsonObject { ["login"] = newOwner },
            },
        };

        using var response = await fixture.Sender.SendAsync("repository", Encoding.UTF8.GetBytes(payload.ToJsonString()));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("is not a valid GitHub owner and repository name");
        var after = await fixture.LinkAsync(link.Id);
        (after.UpstreamOwner, after.UpstreamRepo).Should().Be(("octocoders", oldName));
    }
}
