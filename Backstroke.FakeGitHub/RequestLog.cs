namespace Backstroke.FakeGitHub;

/// <summary>One API request as the simulator saw it. <c>Counted</c> says whether it used primary rate limit.</summary>
internal sealed record RequestLogEntry(string Method, string Path, string Query, int Status, string? Token, bool Counted, string? Body, DateTimeOffset At);

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
