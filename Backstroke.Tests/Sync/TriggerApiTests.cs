using System.Net;
using System.Text.Json;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>The trigger URL and the operation status route, without GitHub (the owner has no token, so a run ends at once).</summary>
public sealed class TriggerApiTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly BackstrokeApplication app = new(new Dictionary<string, string?>
    {
        ["Backstroke:PublicUrl"] = "https://backstroke.example.com/",
        ["Sync:PollInterval"] = "00:00:00.200",
    }, output);

    private HttpClient client = null!;

    public Task InitializeAsync()
    {
        client = app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task A_trigger_schedules_an_operation_and_answers_where_to_follow_it(string method)
    {
        var link = await TestLinks.AddAsync(app.Services, token: null, TestLinks.Repo("up", "r", "main", "me", "r", "main"));

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"/_{link.WebhookId}", UriKind.Relative));
        request.Headers.Add("X-Request-ID", "ci-run-42");
        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var id = body.GetProperty("enqueuedAs").GetString()!;
        body.GetProperty("status").GetString().Should().Be("ok");
        body.GetProperty("message").GetString().Should().Be("Scheduled webhook.");
        body.GetProperty("statusUrl").GetString().Should().Be($"https://backstroke.example.com/v1/operations/{id}");
        id.Should().HaveLength(22, "128 random bits, URL-safe");

        var operation = await Operations.WaitUntilDoneAsync(client, id);
        operation.GetProperty("id").GetString().Should().Be(id);
        operation.GetProperty("kind").GetString().Should().Be("webhook");
        operation.GetProperty("fromRequest").GetString().Should().Be("ci-run-42");
        operation.GetProperty("link").GetProperty("id").GetString().Should().Be(link.Id);
        operation.GetProperty("link").GetProperty("name").GetString().Should().Be("My link");
        operation.GetProperty("status").GetString().Should().Be("error");
        operation.GetProperty("error").GetString().Should().Be(SyncMessages.NoToken);
        operation.GetProperty("enqueuedAt").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        operation.GetProperty("finishedAt").GetDateTimeOffset().Should().BeOnOrAfter(operation.GetProperty("startedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Webhook_ids_with_underscores_and_dashes_are_found()
    {
        var link = await TestLinks.AddAsync(app.Services, token: null, l => l.WebhookId = "_a_b-c_" + l.WebhookId);

        var id = await Operations.TriggerAsync(client, link.WebhookId);

        (await Operations.GetAsync(client, id)).GetProperty("link").GetProperty("id").GetString().Should().Be(link.Id);
    }

    [Fact]
    public async Task A_disabled_link_is_refused_with_400()
    {
        var link = await TestLinks.AddAsync(app.Services, token: null, l => l.Enabled = false);

        using var response = await client.PostAsync(new Uri($"/_{link.WebhookId}", UriKind.Relative), null);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"error":"Link is not enabled!"}""");
    }

    [Fact]
    public async Task An_unknown_link_or_operation_is_a_404_with_a_sentence()
    {
        using var trigger = await client.PostAsync(new Uri("/_doesnotexist", UriKind.Relative), null);
        using var status = await client.GetAsync(new Uri("/v1/operations/nope", UriKind.Relative));

        trigger.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await trigger.Content.ReadAsStringAsync()).Should().Be("""{"error":"No such link with the id doesnotexist"}""");
        status.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await status.Content.ReadAsStringAsync()).Should().Contain("No such operation with the id nope");
    }

    [Fact]
    public async Task A_link_that_is_not_fully_configured_ends_in_a_clear_error()
    {
        var link = await TestLinks.AddAsync(app.Services, token: "ghp_secret", l => l.UpstreamOwner = "up");

        var id = await Operations.TriggerAsync(client, link.WebhookId);
        var operation = await Operations.WaitUntilDoneAsync(client, id);

        operation.GetProperty("status").GetString().Should().Be("error");
        operation.GetProperty("error").GetString().Should().Be(SyncMessages.LinkIncomplete);
        operation.GetRawText().Should().NotContain("ghp_secret");
    }
}
