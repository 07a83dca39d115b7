using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Backstroke.FakeGitHub.Model;

namespace Backstroke.FakeGitHub.Webhooks;

/// <summary>One delivery attempt, kept so tests can see what was sent and how the receiver answered.</summary>
internal sealed record HookDeliveryRecord(long HookId, string Repo, string Event, string DeliveryId, string Url, int? Status, string? Error, DateTimeOffset At, string Payload);

/// <summary>
/// Delivers webhooks after the branch has moved, off the request path (GitHub answers the push before it
/// delivers). The queue is bounded so a dead receiver cannot grow memory: when full, deliveries are dropped.
/// A receiver that has not answered within the timeout (GitHub's is 10 seconds) fails that delivery, and a failed
/// delivery is never retried (docs: "Best practices for using webhooks": respond within 10 seconds; "GitHub does
/// not automatically redeliver failed deliveries").
/// </summary>
internal sealed class HookDelivery : BackgroundService, IPushListener
{
    private const int Senders = 4;
    private readonly Channel<(Repo? Repo, Hook Hook, string Event, byte[] Body)> _queue =
        Channel.CreateBounded<(Repo?, Hook, string, byte[])>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HttpClient _http;
    private readonly DeliveryLog _log = new();
    private readonly FakeGitHubState _state;

    public HookDelivery(FakeGitHubState state)
    {
        _state = state;
        _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = state.HookTimeout };
        state.PushListener = this;
        state.Deliveries = _log;
    }

    public void BranchMoved(Repo repo, string branch, int? before, int? after, Account pusher, bool forced)
    {
        if (repo.Hooks is not { Count: > 0 } hooks || !hooks.Any(h => h.Wants("push")))
        {
            return;
        }

        var body = PushPayload.Push(_state, repo, branch, before, after, pusher, forced, _state.BaseUrl);
        foreach (var hook in hooks.Where(h => h.Wants("push")))
        {
            _queue.Writer.TryWrite((repo, hook, "push", body));
        }
    }

    public void RepositoryChanged(Repo repo, string action, object? from, Account sender)
    {
        if (repo.Hooks is not { Count: > 0 } hooks || !hooks.Any(h => h.Wants("repository")))
        {
            return;
        }

        var body = RepositoryPayload.Changed(repo, action, from, sender, _state.BaseUrl);
        foreach (var hook in hooks.Where(h => h.Wants("repository")))
        {
            _queue.Writer.TryWrite((repo, hook, "repository", body));
        }
    }

    /// <summary>
    /// An App's events go to its own webhook, signed with its secret, like a repository hook's (docs: "Using webhooks
    /// with GitHub Apps"); the deliveries also name the App as the hook's target.
    /// </summary>
    public void AppEvent(Apps.AppRegistration app, string evt, byte[] body)
    {
        if (app.Hook is { } hook)
        {
            _queue.Writer.TryWrite((null, hook, evt, body));
        }
    }

    public void HookCreated(Repo repo, Hook hook, Account sender) =>
        _queue.Writer.TryWrite((repo, hook, "ping", PushPayload.Ping(repo, hook, sender, _state.BaseUrl)));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => SendLoopAsync(stoppingToken)));

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (repo, hook, evt, body) in _queue.Reader.ReadAllAsync(ct))
            {
                await SendAsync(repo, hook, evt, body, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: undelivered hooks are lost, as a simulator may.
        }
    }

    private async Task SendAsync(Repo? repo, Hook hook, string evt, byte[] json, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString();
        var form = hook.ContentType == "form";
        var body = form ? System.Text.Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(System.Text.Encoding.UTF8.GetString(json))) : json;
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(form ? "application/x-www-form-urlencoded" : "application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/fake");
        request.Headers.Add("X-GitHub-Event", evt);
        request.Headers.Add("X-GitHub-Delivery", id);
        request.Headers.Add("X-GitHub-Hook-ID", hook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (repo is null && hook.AppId is { } appId)
        {
            request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", "integration");
            request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", appId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (hook.Secret is { Length: > 0 } secret)
        {
            var key = System.Text.Encoding.UTF8.GetBytes(secret);
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)));
            request.Headers.Add("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(key, body)));
        }

        int? status = null;
        string? error = null;
        try
        {
            using var response = await _http.SendAsync(request, ct);
            status = (int)response.StatusCode;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"timed out after {_http.Timeout.TotalSeconds:0.#} seconds";
        }
        catch (HttpRequestException ex)
        {
            error = ex.Message;
        }

        lock (_state.Gate)
        {
            hook.LastCode = status;
            hook.LastStatus = status is >= 200 and < 300 ? "active" : "failed";
            hook.LastMessage = error ?? (status is >= 200 and < 300 ? "OK" : $"Invalid HTTP Response: {status}");
        }

        _log.Add(new HookDeliveryRecord(hook.Id, repo?.FullName ?? "", evt, id, hook.Url, status, error, _state.Now, System.Text.Encoding.UTF8.GetString(json)));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}

internal sealed class DeliveryLog
{
    private readonly Lock _gate = new();
    private readonly Queue<HookDeliveryRecord> _records = new();

    public void Add(HookDeliveryRecord record)
    {
        lock (_gate)
        {
            if (_records.Count >= 10_000)
            {
                _records.Dequeue();
            }

            _records.Enqueue(record);
        }
    }

    public IReadOnlyList<HookDeliveryRecord> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }
}
