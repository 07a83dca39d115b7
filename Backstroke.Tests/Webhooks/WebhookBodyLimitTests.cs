using Backstroke.Tests.Support;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Backstroke.Webhooks;

namespace Backstroke.Tests.Webhooks;

/// <summary>
/// Anyone can post to <c>/webhooks/github</c>: what it costs the server before the signature is known must stay small.
/// Each body here is a stream that counts what the server pulled from it, so "refused unread" is measured, not assumed.
/// </summary>
public sealed class WebhookBodyLimitTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    private const long MiB = 1024 * 1024;

    // Enough for the server to answer from the headers alone; a server that waits for the body never gets it.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_unsigned_delivery_is_refused_before_its_body_is_read()
    {
        using var body = new CountingBody(length: 20 * MiB);

        using var response = await SendAsync(body, declaredLength: 20 * MiB, signature: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ErrorAsync(response)).Should().Contain("X-Hub-Signature-256");
        body.Pulled.Should().BeLessThan(MiB, "the body of a delivery nobody signed is not read");
    }

    [Fact]
    public async Task A_delivery_with_a_malformed_signature_is_refused_before_its_body_is_read()
    {
        using var body = new CountingBody(length: 20 * MiB);

        using var response = await SendAsync(body, declaredLength: 20 * MiB, signature: "sha256=not-hex");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        body.Pulled.Should().BeLessThan(MiB);
    }

    [Fact]
    public async Task A_body_declared_larger_than_25_MB_is_refused_with_413_unread()
    {
        using var body = new CountingBody(length: 29 * MiB);

        using var response = await SendAsync(body, declaredLength: 29 * MiB, signature: WebhookSignature.Sign(WebhookAppFixture.Secret, "x"u8));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await ErrorAsync(response)).Should().Contain("25 MB");
        body.Pulled.Should().BeLessThan(MiB);
    }

    [Fact]
    public async Task A_body_of_unknown_length_is_refused_with_413_once_it_passes_25_MB()
    {
        // Chunked, as a sender that does not say how much is coming; signed with a well-formed (wrong) signature, so
        // only the size can stop it early.
        using var body = new CountingBody(length: 40 * MiB);

        using var response = await SendAsync(body, declaredLength: null, signature: WebhookSignature.Sign(WebhookAppFixture.Secret, "x"u8));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        body.Pulled.Should().BeLessThan(27 * MiB, "reading stops once the body is known to be too large");
    }

    [Fact]
    public async Task A_signed_delivery_just_under_the_limit_is_read_and_verified()
    {
        // Valid JSON padded with spaces to 24 MB: what matters is that it is read whole and its signature checks out.
        var json = new byte[24 * MiB];
        Array.Fill(json, (byte)' ');
        "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}"u8.CopyTo(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative)) { Content = new ByteArrayContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sign(WebhookAppFixture.Secret, json));

        using var response = await fixture.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> SendAsync(CountingBody body, long? declaredLength, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative)) { Content = new StreamContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentLength = declaredLength;
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        using var timeout = new CancellationTokenSource(Patience);
        return await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

    /// <summary>A body of <c>length</c> spaces, made as they are pulled; it counts how many were.</summary>
    private sealed class CountingBody(long length) : Stream
    {
        private long pulled;

        public long Pulled => Interlocked.Read(ref pulled);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var count = (int)Math.Min(buffer.Length, length - Pulled);
            buffer.Span[..count].Fill((byte)' ');
            Interlocked.Add(ref pulled, count);
            return ValueTask.FromResult(count);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// What a badly signed body costs once it must be read to be checked: one copy. Alone in its collection, so the
/// process's allocation counter sees this request and little else.
/// </summary>
[Collection(nameof(AllocationCollection))]
public sealed class WebhookBodyCopyTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    [Fact]
    public async Task Checking_the_signature_of_a_large_body_allocates_about_one_copy_of_it()
    {
        const int size = 16 * 1024 * 1024;
        var forged = WebhookSignature.Sign("not the secret", "x"u8);
        (await PostAsync(1024, forged)).Should().Be(HttpStatusCode.Unauthorized, "a first request warms up the path");

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var status = await PostAsync(size, forged);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        status.Should().Be(HttpStatusCode.Unauthorized);
        allocated.Should().BeLessThan(size * 3L / 2, $"the body is kept once while it is hashed (allocated {allocated / 1024 / 1024} MB for a {size / 1024 / 1024} MB body)");
    }

    private async Task<HttpStatusCode> PostAsync(int size, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative))
        {
            Content = new StreamContent(new SpacesStream(size)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentLength = size;
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-Hub-Signature-256", signature);
        using var response = await fixture.Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Spaces made as they are read, so the sender holds no copy of its own.</summary>
    private sealed class SpacesStream(long length) : Stream
    {
        private long sent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - sent);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            sent += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// The audit's attack on the real process: many large unsigned posts at once. Refused from their headers, their
/// bodies are never buffered, so the process's resident memory barely moves (it grew by gigabytes when they were).
/// </summary>
[Slow(SlowAttribute.RealProcess)]
[Collection(RealProcessCollection.Name)]
public sealed class WebhookMemoryTests
{
    [Fact]
    public async Task Sixteen_concurrent_unsigned_29_MB_posts_leave_the_process_memory_nearly_unchanged()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var world = await Support.ProcessWorld.StartAsync(new Dictionary<string, string?> { ["GitHub:WebhookSecret"] = "memory-test-secret" });
        await using var app = await world.StartAppAsync();
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        // 29 MB as the audit sent them: under Kestrel's own 30,000,000-byte limit, over GitHub's 25 MB.
        var body = new byte[29_000_000];
        Array.Fill(body, (byte)' ');
        var before = ResidentBytes(app.Id);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative)) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-GitHub-Event", "push");
            try
            {
                using var response = await client.SendAsync(request);
                return (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // The server answered and closed the connection while the body was still being sent.
                return 0;
            }
        }));
        var after = ResidentBytes(app.Id);

        answers.Should().OnlyContain(status => status == 401 || status == 0, "unsigned deliveries are refused");
        (after - before).Should().BeLessThan(100L * 1024 * 1024,
            $"refused bodies are not buffered (resident memory went from {before / 1024 / 1024} MB to {after / 1024 / 1024} MB)");
        (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static long ResidentBytes(int processId) =>
        File.ReadLines($"/proc/{processId}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024)
            .Single();
}
