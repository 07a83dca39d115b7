using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Webhooks;

/// <summary>GitHub's real webhook bodies (github-contract/webhook-examples) against <c>POST /webhooks/github</c>.</summary>
public sealed class GitHubWebhookExamplesTests(WebhookAppFixture shared, ITestOutputHelper output) : IClassFixture<WebhookAppFixture>
{
    private readonly WebhookAppFixture fixture = shared.WithOutput(output);

    private static IEnumerable<string> Examples(string pattern) =>
        Directory.EnumerateFiles(ContractData.PathOf("webhook-examples"), pattern).Order(StringComparer.Ordinal);

    private static string EventOf(string file) => Path.GetFileName(file).Split('.')[0];

    [ContractFact]
    public async Task Every_example_payload_with_a_valid_signature_is_answered_without_a_server_error()
    {
        var answers = new List<string>();
        foreach (var file in Examples("*.json"))
        {
            using var response = await fixture.Sender.SendAsync(EventOf(file), await File.ReadAllBytesAsync(file));
            answers.Add($"{Path.GetFileName(file)} → {(int)response.StatusCode}");
            ((int)response.StatusCode).Should().BeOneOf([200, 202], $"{Path.GetFileName(file)} is a genuine GitHub delivery ({await response.Content.ReadAsStringAsync()})");
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        }

        answers.Should().HaveCountGreaterThan(40, "the examples folder holds GitHub's deliveries of 17 events");
    }

    [ContractFact]
    public async Task Each_push_example_queues_exactly_the_links_watching_that_repository_and_branch()
    {
        var user = await fixture.UserAsync("watcher");
        var pushes = Examples("push.*.json").ToList();
        pushes.Select(Path.GetFileName).Should().Contain("push.branch-update.probot.json");

        foreach (var file in pushes)
        {
            var body = await File.ReadAllBytesAsync(file);
            var payload = JsonDocument.Parse(body).RootElement;
            var (owner, repo) = (payload.GetProperty("repository").GetProperty("full_name").GetString()!.Split('/')[0],
                payload.GetProperty("repository").GetProperty("full_name").GetString()!.Split('/')[1]);
            var reference = payload.GetProperty("ref").GetString()!;
            var pushedBranch = reference.StartsWith("refs/heads/", StringComparison.Ordinal) && !payload.GetProperty("deleted").GetBoolean()
                ? reference["refs/heads/".Length..]
                : null;
            // Links on the pushed branch (or, for tags and deletions, on the default branch and the tag's name).
            var branch = pushedBranch ?? payload.GetProperty("repository").GetProperty("default_branch").GetString()!;
            // For a tag push, a link on a branch named like the tag; for a branch push, one on "heads/<branch>".
            var lookalike = pushedBranch is null ? reference.Split('/')[^1] : "heads/" + branch;

            var watching = new[]
            {
                LinkSeed.Link(user, $"{owner}/{repo}@{branch}", $"{user.Login}/{repo}@{branch}"),
                LinkSeed.Link(user, $"{owner}/{repo}@{branch}", fork: null),
                LinkSeed.Link(user, $"{owner.ToUpperInvariant()}/{repo.ToLowerInvariant()}@{branch}", $"{user.Login}/other@main"),
            };
            var bystanders = new[]
            {
                LinkSeed.Link(user, $"{owner}/{repo}@{branch}-other", $"{user.Login}/{repo}@main"),
                LinkSeed.Link(user, $"{owner}/{repo}-other@{branch}", $"{user.Login}/{repo}@main"),
                LinkSeed.Link(user, $"{owner}/{repo}@{branch}", $"{user.Login}/{repo}@main", enabled: false),
                LinkSeed.Link(user, $"{owner}/{repo}@{lookalike}", $"{user.Login}/{repo}@main"),
                Unconfigured(LinkSeed.Link(user, $"{owner}/{repo}@{branch}", $"{user.Login}/{repo}@main")),
            };
            await fixture.AddLinksAsync([.. watching, .. bystanders]);

            var delivery = Guid.NewGuid().ToString();
            using var response = await fixture.Sender.SendAsync("push", body, delivery);

            response.StatusCode.Should().Be(HttpStatusCode.OK, Path.GetFileName(file));
            var expected = pushedBranch is null ? [] : watching.Select(l => l.Id).ToList();
            (await fixture.QueuedForAsync(delivery)).Should().BeEquivalentTo(expected, $"{Path.GetFileName(file)} pushes {reference} of {owner}/{repo}");
            if (pushedBranch is not null)
            {
                var stored = await fixture.DbAsync(db => db.Links.AsNoTracking().Where(l => expected.Contains(l.Id)).Select(l => l.Upstream!.HeadSha).ToListAsync());
                stored.Should().AllBe(payload.GetProperty("after").GetString(), "the pushed SHA is recorded on the links' upstream");
            }

            // The next example's links are new; these stop watching so that they cannot blur its count.
            var ids = watching.Concat(bystanders).Select(l => l.Id).ToList();
            await fixture.DbAsync(db => db.Links.Where(l => ids.Contains(l.Id)).ExecuteUpdateAsync(s => s.SetProperty(l => l.Enabled, false)));
        }
    }

    [ContractFact]
    public async Task A_renamed_or_transferred_repository_updates_the_links_that_name_it()
    {
        var user = await fixture.UserAsync("mover");
        var renamedFrom = "Hello-World-" + Guid.NewGuid().ToString("N")[..6];
        var upstream = LinkSeed.Link(user, $"Octocoders/{renamedFrom}@master", $"{user.Login}/fork@master");
        var fork = LinkSeed.Link(user, "someone/upstream@main", $"octocoders/{renamedFrom}@master");
        var transferred = LinkSeed.Link(user, "octocat/Hello-World@master", $"{user.Login}/fork@master");
        await fixture.AddLinksAsync(upstream, fork, transferred);

        var renamed = JsonNode.Parse(await File.ReadAllTextAsync(ContractData.PathOf("webhook-examples/repository.renamed.9.json")))!;
        renamed["changes"]!["repository"]!["name"]!["from"] = renamedFrom;
        using var renameResponse = await fixture.Sender.SendAsync("repository", Encoding.UTF8.GetBytes(renamed.ToJsonString()));
        using var transferResponse = await fixture.Sender.SendAsync("repository",
            await File.ReadAllBytesAsync(ContractData.PathOf("webhook-examples/repository.transferred.10.json")));

        renameResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        transferResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        var up = await fixture.LinkAsync(upstream.Id);
        (up.UpstreamOwner, up.UpstreamRepo).Should().Be(("Octocoders", "Hello-World"));
        var fk = await fixture.LinkAsync(fork.Id);
        (fk.ForkOwner, fk.ForkRepo, fk.UpstreamRepo).Should().Be(("Octocoders", "Hello-World", "upstream"));
        var tr = await fixture.LinkAsync(transferred.Id);
        (tr.UpstreamOwner, tr.UpstreamRepo).Should().Be(("Octocoders", "Hello-World"));
    }

    [ContractFact]
    public async Task A_deleted_upstream_flags_its_links_with_an_error_and_nothing_else()
    {
        var user = await fixture.UserAsync("deleter");
        var name = "gone-" + Guid.NewGuid().ToString("N")[..6];
        var gone = LinkSeed.Link(user, $"Codertocat/{name}@master", $"{user.Login}/{name}@master");
        var other = LinkSeed.Link(user, "Codertocat/still-here@master", $"{user.Login}/still-here@master");
        await fixture.AddLinksAsync(gone, other);

        var deleted = JsonNode.Parse(await File.ReadAllTextAsync(ContractData.PathOf("webhook-examples/repository.created.1.json")))!;
        deleted["action"] = "deleted";
        deleted["repository"]!["name"] = name;
        deleted["repository"]!["full_name"] = $"Codertocat/{name}";
        using var response = await fixture.Sender.SendAsync("repository", Encoding.UTF8.GetBytes(deleted.ToJsonString()));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var flagged = await fixture.LinkAsync(gone.Id);
        flagged.RepositoryDeleted.Should().BeTrue();
        flagged.LastError.Should().Be($"The upstream repository Codertocat/{name} was deleted on GitHub.");
        var untouched = await fixture.LinkAsync(other.Id);
        untouched.RepositoryDeleted.Should().BeFalse();
        untouched.LastError.Should().BeNull();
    }

    private static Link Unconfigured(Link link)
    {
        link.ForkOwner = null;
        return link;
    }
}
