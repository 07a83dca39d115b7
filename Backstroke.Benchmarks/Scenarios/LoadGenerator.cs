using System.Diagnostics;

namespace Backstroke.Benchmarks.Scenarios;

/// <summary>What a closed-loop load run measured.</summary>
internal sealed record LoadResult(int Requests, int Errors, double Seconds, double P50Ms, double P90Ms, double P99Ms, double MaxMs, long StartedAtUnixMs, long EndedAtUnixMs)
{
    public double RequestsPerSecond => (Requests - Errors) / Seconds;
}

/// <summary>
/// N loops, each sending its next request as soon as the previous answer is read (a closed loop, as
/// <c>wrk</c> does), for a fixed time. Latency is from send to the end of the body.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(HttpClient http, Func<HttpRequestMessage> next, int concurrency, TimeSpan duration, int expectedStatus)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            var errors = 0;
            while (clock.Elapsed < duration)
            {
                using var request = next();
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    await response.Content.LoadIntoBufferAsync();
                    if ((int)response.StatusCode != expectedStatus)
                    {
                        errors++;
                    }
                }
                catch (HttpRequestException)
                {
                    errors++;
                }
                catch (TaskCanceledException)
                {
                    errors++;
                }

                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            return (latencies, errors);
        })).ToList();
        var results = await Task.WhenAll(loops);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = results.SelectMany(r => r.latencies).Order().ToList();
        var failed = results.Sum(r => r.errors);
        return new LoadResult(all.Count, failed, seconds,
            Results.Stats.Percentile(all, 50), Results.Stats.Percentile(all, 90), Results.Stats.Percentile(all, 99), all.Count == 0 ? 0 : all[^1],
            started.ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }
}
