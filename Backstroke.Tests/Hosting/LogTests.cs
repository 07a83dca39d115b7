using System.Text.Json;
using Backstroke.FakeGitHub;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

/// <summary>
/// In production the log is one JSON object per line, events say which request, link and operation they are
/// about, and no secret ever appears in it, even with every category at Verbose, whatever the overrides say.
/// </summary>
[Slow(SlowAttribute.RealProcess)]
[Collection(RealProcessCollection.Name)]
public sealed class LogTests(ITestOutputHelper testOutput)
{
    [Fact]
    public async Task A_sign_in_a_sync_and_a_failed_sync_log_JSON_with_ids_and_no_secret()
    {
        var clientSecret = "client-secret-" + Guid.NewGuid().ToString("N");
        var webhookSecret = "webhook-secret-" + Guid.NewGuid().ToString("N");
        var botToken = "gho_bot_" + Guid.NewGuid().ToString("N");
        await using var world = await ProcessWorld.StartAsync(new Dictionary<string, string?>
        {
            ["GitHub:ClientId"] = "ops-client",
            ["GitHub:ClientSecret"] = clientSecret,
            ["GitHub:WebhookSecret"] = webhookSecret,
            ["GitHub:BotToken"] = botToken,
            ["Sync:MaxAttempts"] = "2",
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            // Every override the shipped appsettings.json names, and the broader categories above them.
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
            ["Serilog:MinimumLevel:Override:System"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Verbose",
        }, output: testOutput);
        world.GitHub.State.OAuth.AddApp("ops-client", clientSecret);
        world.GitHub.CreateUser("bot", botToken);
        var login = "ada";
        world.GitHub.CreateUser(login);
        foreach (var fork in new[] { "good", "bad" })
        {
            world.GitHub.CreateRepo(login, fork, forkOf: "up/proj");
            world.GitHub.AddCollaborator(login, fork, "bot");
        }

        world.GitHub.Commit("up", "proj", "main", "New upstream work");

        var unknownHook = "nohook" + Guid.NewGuid().ToString("N");
        string output, goodLink, badLink, goodOperation, badOperation, goodHook, badHook;
        await using (var app = await world.StartAppAsync())
        {
            using var client = await world.SignInAsync(app, login);
            (goodLink, goodHook) = await CreateLinkAsync(client, "Good", $"{login}/good");
            (badLink, badHook) = await CreateLinkAsync(client, "Bad", $"{login}/bad");

            goodOperation = await Operations.TriggerAsync(client, goodHook, requestId: "req-good");
            (await Operations.WaitUntilDoneAsync(client, goodOperation)).Str("status").Should().Be("ok");
            // A GET trigger, as a browser or a plain curl sends it, and one for a link that does not exist.
            using (var get = await client.GetAsync(new Uri($"/_{goodHook}", UriKind.Relative)))
            {
                get.StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
                (await Operations.WaitUntilDoneAsync(client, (await get.ReadJsonAsync()).Str("enqueuedAs")!)).Str("status").Should().Be("ok");
            }

            using (var missing = await client.GetAsync(new Uri($"/_{unknownHook}", UriKind.Relative)))
            {
                missing.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
            }

            // GitHub fails every request about the bad fork: retried, then given up.
            world.GitHub.AddFault(new FaultRule { PathPattern = $"/repos/{login}/bad*", Status = 500 });
            badOperation = await Operations.TriggerAsync(client, badHook);
            (await Operations.WaitUntilDoneAsync(client, badOperation)).Str("status").Should().Be("error");

            await ProcessWorld.TerminateAsync(app.Id);
            (await app.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
            output = app.Output;
        }

        var tokens = world.GitHub.Requests.Select(r => r.Token).OfType<string>().Distinct().ToList();
        tokens.Should().HaveCount(2, "the signed-in user's token read and the bot's token wrote");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var secrets = tokens.Concat([clientSecret, webhookSecret, botToken, goodHook, badHook, unknownHook]).ToList();
        lines.Where(l => secrets.Any(s => l.Contains(s, StringComparison.Ordinal))).Should().BeEmpty("no log line may carry a token, secret or trigger id");

        output.Should().NotContain("gho_", "no GitHub token of any kind is logged");

        var events = lines.Select(ParseLine).ToList();
        events.Should().HaveCountGreaterThan(20, "Verbose logging of a sign-in and two syncs says a lot");
        events.Should().Contain(e => Get(e, "@mt") == "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms"
            && Get(e, "RequestPath") == "/_***" && Get(e, "LinkId") == goodLink && Get(e, "OperationId") == goodOperation
            && !string.IsNullOrEmpty(Get(e, "RequestId")), "the trigger request names its link and operation");
        events.Should().Contain(e => (Get(e, "@mt") ?? "").StartsWith("Operation {OperationId} finished", StringComparison.Ordinal)
            && Get(e, "OperationId") == goodOperation && Get(e, "LinkId") == goodLink, "the run's events carry the link too");
        events.Should().Contain(e => Get(e, "@l") == "Warning" && Get(e, "OperationId") == badOperation && Get(e, "LinkId") == badLink);
        events.Should().Contain(e => Get(e, "SourceContext") == "Microsoft.AspNetCore.Hosting.Diagnostics",
            "Verbose logging of ASP.NET Core was on, so the secret-bearing trigger path was there to leak");
        events.Should().Contain(e => (Get(e, "SourceContext") ?? "").StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal)
            && (Get(e, "Uri") ?? "").EndsWith("/user", StringComparison.Ordinal),
            "the HTTP client's logging was on for the sign-in's request that carries the OAuth token");
    }

    private static async Task<(string Id, string WebhookId)> CreateLinkAsync(HttpClient client, string name, string fork)
    {
        var id = await client.CreateLinkAsync();
        using var update = await client.PostJsonAsync($"/v1/links/{id}", JsonRequests.LinkBody(name, "up/proj", fork, enabled: true));
        update.IsSuccessStatusCode.Should().BeTrue(await update.Content.ReadAsStringAsync());
        var link = await client.GetJsonAsync($"/v1/links/{id}");
        return (id, link.Str("webhook")!);
    }

    private static string? Get(JsonElement logEvent, string property) =>
        logEvent.TryGetProperty(property, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static JsonElement ParseLine(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            json.RootElement.ValueKind.Should().Be(JsonValueKind.Object);
            return json.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"A log line is not JSON: {line}");
        }
    }
}
