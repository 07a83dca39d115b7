namespace Backstroke.Data;

/// <summary>
/// A GitHub webhook delivery that was handled, by its <c>X-GitHub-Delivery</c> id. GitHub redelivers on timeouts and
/// on request, so the id is the idempotency key; keeping it in the database makes "handled once" hold across restarts.
/// </summary>
internal sealed class WebhookDelivery
{
    public required string Id { get; set; }

    public required string Event { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
