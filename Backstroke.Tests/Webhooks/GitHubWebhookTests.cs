using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Webhooks;

public class GitHubWebhookTests(WebhookAppFixture shared, ITestOutputHelper output) : IClassFixture<WebhookAppFixture>
{
    private readonly WebhookAppFixture fixture = shared.WithOutput(output);

    private static byte[] Push(string fullName, string branch, string after) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        @ref = "refs/heads/" + branch,
        before = new string('a', 40),
        after,
        created = false,
        deleted = false,
        repository = new { full_name = fullName, name = fullName.Split('/')[1], owner = new { login = fullName.Split('/')[0] } },
    }));

    private async Task<Backstroke.Data.Link> WatchedAsync(string name)
    {
        var user = await fixture.UserAsync(name);
        var link = LinkSeed.Link(user, $"up/{name}@main", $"{user.Login}/{name}@main");
        await fixture.AddLinksAsync(link);
        return link;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=8f4bd8ea2a4cba0c6f2aa5e1c66c3cdd4a5c1a3e")]
    public async Task An_unsigned_or_badly_signed_push_is_refused_and_queues_nothing(string? signature)
    {
        var link = await WatchedAsync("unsigned");

        using var response = await fixture.Sender.SendAsync("push", Push("up/unsigned", "main", new string('b', 40)), signature: signature);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Contain("X-Hub-Signature-256");
        (await fixture.OperationCountAsync(link.Id)).Should().Be(0);
        (await fixture.LinkAsync(link.Id)).UpstreamSha.Should().BeNull();
    }

    [Fact]
    public async Task A_push_signed_with_another_secret_is_refused()
    {
        var link = await WatchedAsync("other-secret");
        var body = Push("up/other-secret", "main", new string('c', 40));

        using var response = await fixture.Sender.SendAsync("push", body, signature: Backstroke.Webhooks.WebhookSignature.Sign("not the secret", body));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await fixture.OperationCountAsync(link.Id)).Should().Be(0);
    }

    [Fact]
    public async Task A_repeated_delivery_is_handled_once()
    {
        var link = await WatchedAsync("repeated");
        var delivery = Guid.NewGuid().ToString();

        using var first = await fixture.Sender.SendAsync("push", Push("up/repeated", "main", new string('d', 40)), delivery);
        // Wait until the first operation has left the queue, so a second one could not merely coalesce with it.
        (await Eventually.TrueAsync(async () => await fixture.DbAsync(db => Task.FromResult(
            db.Operations.Any(o => o.LinkId == link.Id && o.Status != Backstroke.Data.OperationStatus.Queued))), TimeSpan.FromSeconds(20)))
            .Should().BeTrue("a worker takes the queued operation");
        using var again = await fixture.Sender.SendAsync("push", Push("up/repeated", "main", new string('d', 40)), delivery);
        var afterRepeat = await fixture.OperationCountAsync(link.Id);
        using var fresh = await fixture.Sender.SendAsync("push", Push("up/repeated", "main", new string('e', 40)));

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString().Should().Contain("already handled");
        afterRepeat.Should().Be(1, "the same delivery again changes nothing");
        (await fixture.OperationCountAsync(link.Id)).Should().Be(2, "a new delivery is handled as usual");
    }

    [Fact]
    public async Task Ping_is_answered_and_other_events_are_accepted_and_ignored()
    {
        var ping = Encoding.UTF8.GetBytes("""{"zen":"Keep it logically awesome.","hook_id":1}""");
        using var pong = await fixture.Sender.SendAsync("ping", ping);
        using var issue = await fixture.Sender.SendAsync("issues", Encoding.UTF8.GetBytes("""{"action":"opened"}"""));

        pong.StatusCode.Should().Be(HttpStatusCode.OK);
        issue.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_with_a_sentence()
    {
        using var response = await fixture.Sender.SendAsync("push", Encoding.UTF8.GetBytes("{\"ref\": "));
        using var incomplete = await fixture.Sender.SendAsync("push", Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be(
            "The body is not valid JSON (nor a form with a JSON 'payload' field).");
        incomplete.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await incomplete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Contain("'repository'");
    }

    [Fact]
    public async Task A_form_encoded_push_is_read_from_its_payload_field()
    {
        var link = await WatchedAsync("form");
        var form = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(Encoding.UTF8.GetString(Push("up/form", "main", new string('f', 40)))));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative)) { Content = new ByteArrayContent(form) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", Backstroke.Webhooks.WebhookSignature.Sign(WebhookAppFixture.Secret, form));

        using var response = await fixture.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await fixture.OperationCountAsync(link.Id)).Should().Be(1);
    }

    [Theory]
    [InlineData("GET", "/api/v1/operations/abc?x=1", "/v1/operations/abc?x=1")]
    [InlineData("POST", "/api/v1/links/L1/sync", "/v1/links/L1/sync")]
    [InlineData("DELETE", "/api/v1/links/L1", "/v1/links/L1")]
    public async Task The_original_api_path_redirects_permanently_keeping_the_method(string method, string path, string location)
    {
        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        response.StatusCode.Should().Be(HttpStatusCode.PermanentRedirect);
        response.Headers.Location!.OriginalString.Should().Be(location);
    }
}
