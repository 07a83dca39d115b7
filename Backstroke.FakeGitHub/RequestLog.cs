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
    private readonly Lock _gate = new();
    private readonly Queue<RequestLogEntry> _entries = new();

    public void Add(RequestLogEntry entry)
    {
        lock (_gate)
        {
            if (_entries.Count >= capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
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
