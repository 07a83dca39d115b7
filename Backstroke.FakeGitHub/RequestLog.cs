namespace Backstroke.FakeGitHub;

/// <summary>
/// One API request as the simulator saw it. <c>Counted</c> says whether it used primary rate limit. <c>Path</c> is
/// the path after the server decoded it; <c>RawTarget</c> is the request target exactly as it came on the wire
/// (path and query, percent-escapes untouched), which is what shows how a client escaped a name.
/// </summary>
internal sealed record RequestLogEntry(string Method, string Path, string Query, int Status, string? Token, bool Counted, string? Body, DateTimeOffset At, string RawTarget = "");

/// <summary>
/// The requests the simulator answered, so tests can count GitHub calls. Bounded: a benchmark sending millions
/// of requests must not grow the simulator's memory without limit, so the oldest entries are dropped.
/// </summary>
internal sealed class RequestLog(int capacity = 200_000)
{
    /// <summary>How long a snapshot waits for requests still being written down.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Queue<RequestLogEntry> _entries = new();
    private int _pending;

    /// <summary>
    /// A request arrived. Its entry is added only after its answer has gone out, so a client that has read the answer
    /// could otherwise look at the log a moment before the entry is there.
    /// </summary>
    public void Begin() => Interlocked.Increment(ref _pending);

    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            Interlocked.Decrement(ref _pending);
            if (_entries.Count >= capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        // Under steady traffic there may always be a request in flight: then the log is read as it is after a while.
        var deadline = DateTime.UtcNow + SettleTime;
        while (Volatile.Read(ref _pending) > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        lock (_gate)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
