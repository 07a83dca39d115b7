using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Backstroke.Webhooks;

/// <summary>
/// A delivery's body, read the way an unauthenticated sender cannot abuse: a missing or malformed signature is refused
/// before a byte is read, a body larger than GitHub ever sends is refused as soon as that is known, and the rest is
/// hashed as it arrives into the one buffer that is kept, so checking the signature costs no second copy.
/// </summary>
internal sealed class WebhookBody
{
    /// <summary>GitHub caps payloads at 25 MB and does not deliver larger ones.</summary>
    public const int MaxBytes = 25 * 1024 * 1024;

    // Below the large object heap threshold, so a refused body leaves nothing behind for a full collection to find.
    private const int ChunkBytes = 64 * 1024;

    private WebhookBody(ReadOnlySequence<byte> bytes) => Bytes = bytes;

    public ReadOnlySequence<byte> Bytes { get; }

    /// <summary>
    /// The body, verified against <paramref name="secret"/> when one is given (null: accepted unsigned), or the status
    /// and sentence that refuse it.
    /// </summary>
    public static async Task<(WebhookBody? Body, int Status, string? Error)> ReadAsync(HttpRequest request, string? secret, CancellationToken ct)
    {
        var claimed = new byte[HMACSHA256.HashSizeInBytes];
        if (secret is not null && !WebhookSignature.TryParse(request.Headers["X-Hub-Signature-256"].ToString(), claimed))
        {
            return (null, StatusCodes.Status401Unauthorized, WebhookSignature.Refusal);
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, TooLarge);
        }

        using var hmac = secret is null ? null : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        Chunk? first = null, last = null;
        var total = 0L;
        while (true)
        {
            if (last is null || last.Filled == last.Buffer.Length)
            {
                var next = new Chunk(last);
                first ??= next;
                last = next;
            }

            var read = await request.Body.ReadAsync(last.Buffer.AsMemory(last.Filled), ct);
            if (read == 0)
            {
                break;
            }

            hmac?.AppendData(last.Buffer, last.Filled, read);
            last.Filled += read;
            total += read;
            if (total > MaxBytes)
            {
                return (null, StatusCodes.Status413PayloadTooLarge, TooLarge);
            }
        }

        if (hmac is not null && !CryptographicOperations.FixedTimeEquals(claimed, hmac.GetHashAndReset()))
        {
            return (null, StatusCodes.Status401Unauthorized, WebhookSignature.Refusal);
        }

        return (new WebhookBody(Chunk.Sequence(first!, last)), StatusCodes.Status200OK, null);
    }

    /// <summary>
    /// The payload: the body itself, or for a hook set to <c>application/x-www-form-urlencoded</c> its <c>payload</c>
    /// field. The signature covers the raw body either way, so this comes after it. Throws <see cref="JsonException"/>.
    /// </summary>
    public JsonDocument Parse(string? contentType) =>
        contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            ? JsonDocument.Parse(FormField(Bytes, "payload"u8))
            : JsonDocument.Parse(Bytes);

    /// <summary>The URL-decoded value of the field <paramref name="name"/>, decoded straight from the chunks.</summary>
    private static ReadOnlyMemory<byte> FormField(ReadOnlySequence<byte> form, ReadOnlySpan<byte> name)
    {
        var reader = new SequenceReader<byte>(form);
        while (!reader.End)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> field, (byte)'&'))
            {
                field = reader.UnreadSequence;
                reader.AdvanceToEnd();
            }

            var fieldReader = new SequenceReader<byte>(field);
            if (fieldReader.IsNext(name, advancePast: true) && fieldReader.IsNext((byte)'=', advancePast: true))
            {
                return Decode(fieldReader);
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    private static ReadOnlyMemory<byte> Decode(SequenceReader<byte> value)
    {
        // Decoding never lengthens: the encoded length is enough room.
        var decoded = new byte[value.Remaining];
        var length = 0;
        Span<byte> hex = stackalloc byte[2];
        while (value.TryRead(out var b))
        {
            if (b == '+')
            {
                b = (byte)' ';
            }
            else if (b == '%' && value.TryCopyTo(hex) && Hex(hex[0]) is >= 0 and var high && Hex(hex[1]) is >= 0 and var low)
            {
                value.Advance(2);
                b = (byte)((high << 4) | low);
            }

            decoded[length++] = b;
        }

        return decoded.AsMemory(0, length);
    }

    private static int Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static readonly string TooLarge = $"The body is larger than the {MaxBytes / 1024 / 1024} MB GitHub ever delivers.";

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(Chunk? previous)
        {
            if (previous is not null)
            {
                previous.Memory = previous.Buffer.AsMemory(0, previous.Filled);
                previous.Next = this;
                RunningIndex = previous.RunningIndex + previous.Filled;
            }
        }

        public byte[] Buffer { get; } = new byte[ChunkBytes];

        public int Filled { get; set; }

        public static ReadOnlySequence<byte> Sequence(Chunk first, Chunk last)
        {
            last.Memory = last.Buffer.AsMemory(0, last.Filled);
            return new ReadOnlySequence<byte>(first, 0, last, last.Filled);
        }
    }
}
