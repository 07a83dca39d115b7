using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Backstroke.FakeGitHub.Json;

/// <summary>Writes response bodies straight to UTF-8; the bytes are then hashed for the ETag.</summary>
internal static class JsonOut
{
    // GitHub writes apostrophes and non-ASCII text as they are; the default encoder would escape them.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>GitHub's timestamp format: seconds precision, UTC, "Z".</summary>
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static void WriteDate(this Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, Date(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void WriteStringOrNull(this Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>GitHub's opaque node ids; any stable string serves.</summary>
    public static string NodeId(string kind, long id) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"0:{kind}{id}"));
}
