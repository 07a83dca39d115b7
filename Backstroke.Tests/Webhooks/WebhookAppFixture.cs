using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Webhooks;

/// <summary>One app for the webhook tests of a class; each test uses repositories of its own.</summary>
public class WebhookAppFixture : IAsyncLifetime
{
    public const string Secret = "webhook-test-secret";

    internal BackstrokeApplication App { get; } = new(new Dictionary<string, string?>
    {
        ["GitHub:WebhookSecret"] = Secret,
        // Nothing here talks to GitHub; an address that refuses at once keeps any sync attempt short.
        ["GitHub:ApiUrl"] = "http://127.0.0.1:9/",
        ["Sync:MaxAttempts"] = "1",
        ["Polling:IntervalSeconds"] = "3600",
    });

    internal HttpClient Client { get; private set; } = null!;

    internal WebhookSender Sender { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = App.CreateClient(new() { AllowAutoRedirect = false });
        Sender = new WebhookSender(Client, Secret);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Sends the app's log to the output of the test about to run; returns this fixture.</summary>
    public WebhookAppFixture WithOutput(ITestOutputHelper output)
    {
        App.Output = output;
        return this;
    }

    internal Task<T> DbAsync<T>(Func<BackstrokeDbContext, Task<T>> action) => App.WithDbAsync(action);

    internal async Task<User> UserAsync(string login) => await DbAsync(db => LinkSeed.UserAsync(db, login + "-" + Guid.NewGuid().ToString("N")[..8]));

    internal async Task<List<Link>> AddLinksAsync(params Link[] links) => await DbAsync(async db =>
    {
        db.Links.AddRange(links);
        await db.SaveChangesAsync();
        return links.ToList();
    });

    internal Task<Link> LinkAsync(string id) => DbAsync(db => db.Links.AsNoTracking().SingleAsync(l => l.Id == id));

    /// <summary>The links that got an operation for this delivery (webhook operations carry the delivery id).</summary>
    internal Task<List<string>> QueuedForAsync(string deliveryId) => DbAsync(db => db.Operations.AsNoTracking()
        .Where(o => o.FromRequest == deliveryId && o.Kind == OperationKind.Webhook)
        .Select(o => o.LinkId)
        .ToListAsync());

    internal Task<int> OperationCountAsync(string linkId) => DbAsync(db => db.Operations.CountAsync(o => o.LinkId == linkId));
}
