using System.Text.Json;

namespace Backstroke.Tests.Support;

/// <summary>Short reads of an operation's JSON.</summary>
internal static class JsonAssertions
{
    public static string? Str(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.ValueKind == JsonValueKind.Null ? null : element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
    }

    public static JsonElement At(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element;
    }
}
