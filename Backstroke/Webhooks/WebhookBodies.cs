using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Backstroke.Webhooks;

/// <summary>
/// A webhook body as JSON. Hooks made in GitHub's UI or by its API default to
/// <c>application/x-www-form-urlencoded</c>, whose JSON is the <c>payload</c> field; the signature covers the raw body
/// either way, so it is checked before this.
/// </summary>
internal static class WebhookBodies
{
    public static JsonDocument Parse(string? contentType, byte[] body)
    {
        if (contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            return JsonDocument.Parse(form.TryGetValue("payload", out var payload) ? payload.ToString() : "");
        }

        return JsonDocument.Parse(body);
    }
}
