namespace Backstroke.Benchmarks.Harness;

/// <summary>
/// Samples the app's resident memory every 200 ms for the whole run, so a short spike between two figures is
/// still seen. The kernel's VmHWM (high-water mark) catches even what falls between samples.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly Func<ChildProcess?> target;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly Lock gate = new();
    private double phaseMax;

    public MemorySampler(Func<ChildProcess?> target)
    {
        this.target = target;
        loop = Task.Run(LoopAsync);
    }

    public double MaxRssMb { get; private set; }

    /// <summary>Starts a new phase; returns the largest RSS seen during the previous one.</summary>
    public double ResetPhase()
    {
        lock (gate)
        {
            var max = phaseMax;
            phaseMax = target()?.Memory()?.RssMb ?? 0;
            return max;
        }
    }

    public double PhaseMaxMb
    {
        get
        {
            lock (gate)
            {
                return phaseMax;
            }
        }
    }

    private async Task LoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            if (target()?.Memory() is { } memory)
            {
                lock (gate)
                {
                    phaseMax = Math.Max(phaseMax, memory.RssMb);
                    MaxRssMb = Math.Max(MaxRssMb, Math.Max(memory.RssMb, memory.PeakMb));
                }
            }

            try
            {
                await Task.Delay(200, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
