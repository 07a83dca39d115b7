namespace Backstroke.Webhooks;

/// <summary>What a delivery did, as the HTTP answer GitHub records in the hook's delivery log.</summary>
internal sealed record WebhookOutcome(int Status, string Message, int Queued = 0)
{
    public static WebhookOutcome Ignored(string message) => new(StatusCodes.Status202Accepted, message);

    public static WebhookOutcome Handled(string message, int queued = 0) => new(StatusCodes.Status200OK, message, queued);

    /// <summary>Whether the delivery changed something, and so must not be handled again.</summary>
    public bool Remember => Status == StatusCodes.Status200OK;
}
