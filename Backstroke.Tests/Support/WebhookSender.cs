using System.Net.Http.Headers;
using Backstroke.Webhooks;

namespace Backstroke.Tests.Support;

/// <summary>Posts to <c>/webhooks/github</c> the way GitHub does: the event, a delivery id and the signature.</summary>
internal sealed class WebhookSender(HttpClient client, string secret)
{
    public async Task<HttpResponseMessage> SendAsync(string eventName, byte[] body, string? deliveryId = null, string? signature = "valid")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/test");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature == "valid" ? WebhookSignature.Sign(secret, body) : signature);
        }

        return await client.SendAsync(request);
    }
}
