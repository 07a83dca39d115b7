using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Backstroke.Tests.Support;

/// <summary>The trigger and status routes, as a script would use them.</summary>
internal static class Operations
{
    public static async Task<string> TriggerAsync(HttpClient client, string webhookId, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/_{webhookId}", UriKind.Relative));
        if (requestId is not null)
        {
            request.Headers.Add("X-Request-ID", requestId);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("enqueuedAs").GetString()!;
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string operationId) =>
        await client.GetFromJsonAsync<JsonElement>(new Uri($"/v1/operations/{operationId}", UriKind.Relative));

    /// <summary>Polls the status route until the operation is ok or error, or fails the test at the deadline.</summary>
    public static async Task<JsonElement> WaitUntilDoneAsync(HttpClient client, string operationId, TimeSpan? timeout = null)
    {
        JsonElement operation = default;
        var done = await Eventually.TrueAsync(async () =>
        {
            operation = await GetAsync(client, operationId);
            return operation.GetProperty("status").GetString() is "ok" or "error";
        }, timeout ?? TimeSpan.FromSeconds(20));
        return done ? operation : throw new TimeoutException($"Operation {operationId} did not finish in time; last seen: {operation}");
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        if (!await Eventually.TrueAsync(condition, timeout))
        {
            throw new TimeoutException($"Timed out waiting until {what}.");
        }
    }
}
