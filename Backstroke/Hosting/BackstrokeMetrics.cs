using Prometheus;

namespace Backstroke.Hosting;

/// <summary>
/// The numbers operators watch, served at <c>/metrics</c> in Prometheus text format. Features record into this
/// singleton; nothing here knows about the database or GitHub. The registry belongs to this instance, not to the
/// process, so two apps in one process (the tests) never count each other's work.
/// </summary>
internal sealed class BackstrokeMetrics
{
    /// <summary>Outcomes of one upstream probe by the poller, the values of the <c>result</c> label.</summary>
    public static class PollResults
    {
        /// <summary>The upstream answered 304 Not Modified: nothing to do, and no rate limit spent.</summary>
        public const string NotModified = "304";

        /// <summary>A first check or a new head: an automatic operation was queued.</summary>
        public const string Changed = "changed";

        /// <summary>A full answer (200) with the head already known, e.g. the first check after a restart.</summary>
        public const string Same = "same";

        public const string Error = "error";
    }

    /// <summary>How an operation's run ended, the values of the <c>status</c> label of operations and durations.</summary>
    public static class RunStatus
    {
        public const string Ok = "ok";
        public const string Error = "error";

        /// <summary>Back in the queue for later: a transient failure or a rate limit.</summary>
        public const string Retry = "retry";

        /// <summary>Back in the queue because the process stopped before the run ended.</summary>
        public const string Interrupted = "interrupted";
    }

    private static readonly string[] Kinds = ["manual", "automatic", "webhook"];

    private readonly Counter operations;
    private readonly Histogram syncDuration;
    private readonly Counter gitHubRequests;
    private readonly Counter pollResults;

    public BackstrokeMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        operations = factory.CreateCounter(
            "backstroke_operations_total", "Runs of operations by kind and how they ended (ok, error, retry, interrupted).", ["kind", "status"]);
        syncDuration = factory.CreateHistogram(
            "backstroke_sync_duration_seconds", "Time from claiming an operation to its result (ok or error).", ["kind"],
            new HistogramConfiguration { Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        gitHubRequests = factory.CreateCounter(
            "backstroke_github_requests_total", "Requests sent to GitHub by response status code (\"none\": no response).", ["status_code"]);
        pollResults = factory.CreateCounter(
            "backstroke_poll_results_total", "Upstream probes by result: 304 (unchanged), changed, error.", ["result"]);
        QueueDepth = factory.CreateGauge("backstroke_queue_depth", "Operations waiting in the queue, including delayed retries.");
        Running = factory.CreateGauge("backstroke_operations_running", "Operations being run right now.");
        RateLimitRemaining = factory.CreateGauge(
            "backstroke_github_rate_limit_remaining", "Requests an account may still send in its current GitHub rate-limit window; accounts are named user:<GitHub id>, or by a short hash of the token while the user is not known.", ["account"]);

        // Series that exist from the start read as zero instead of "no data" on a fresh instance.
        foreach (var kind in Kinds)
        {
            foreach (var status in new[] { RunStatus.Ok, RunStatus.Error, RunStatus.Retry, RunStatus.Interrupted })
            {
                operations.WithLabels(kind, status);
            }
        }

        foreach (var result in new[] { PollResults.NotModified, PollResults.Changed, PollResults.Same, PollResults.Error })
        {
            pollResults.WithLabels(result);
        }

        // Process memory, CPU and GC counts: cheap (read at scrape time) and what a 512 MB machine is watched for.
        DotNetStats.Register(Registry);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Set at scrape time from the database.</summary>
    internal Gauge QueueDepth { get; }

    internal Gauge Running { get; }

    /// <summary>Set at scrape time from the rate-limit budgets.</summary>
    internal Gauge RateLimitRemaining { get; }

    /// <summary>One run of an operation ended; <paramref name="duration"/> is recorded for ok and error results.</summary>
    public void OperationRan(string kind, string status, TimeSpan duration)
    {
        operations.WithLabels(kind, status).Inc();
        if (status is RunStatus.Ok or RunStatus.Error)
        {
            syncDuration.WithLabels(kind).Observe(duration.TotalSeconds);
        }
    }

    /// <summary>GitHub answered a request with <paramref name="statusCode"/>, or did not answer at all (null).</summary>
    public void GitHubResponded(int? statusCode) =>
        gitHubRequests.WithLabels(statusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none").Inc();

    /// <summary>Requests sent to GitHub since start, all status codes together (for the system page's chart).</summary>
    public double GitHubRequestCount => gitHubRequests.GetAllLabelValues().Sum(labels => gitHubRequests.WithLabels(labels).Value);

    /// <summary>The poller probed one upstream; <paramref name="result"/> is one of <see cref="PollResults"/>.</summary>
    public void PollResult(string result) => pollResults.WithLabels(result).Inc();
}
