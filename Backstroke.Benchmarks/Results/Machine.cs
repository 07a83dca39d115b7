using System.Runtime.InteropServices;

namespace Backstroke.Benchmarks.Results;

/// <summary>The machine the figures came from: they mean little without it.</summary>
internal sealed record Machine(int Processors, string CpuModel, double MemoryGb, string Os, string Runtime)
{
    public static Machine Current() => new(
        Environment.ProcessorCount,
        ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Math.Round((ReadKilobytes("/proc/meminfo", "MemTotal") ?? 0) / 1024.0 / 1024.0, 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription);

    public override string ToString() => $"{Processors} CPU ({CpuModel}), {MemoryGb} GB, {Os}, {Runtime}";

    private static string? ReadField(string file, string name)
    {
        try
        {
            return File.ReadLines(file).Where(l => l.StartsWith(name, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double? ReadKilobytes(string file, string name) =>
        ReadField(file, name) is { } value && double.TryParse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var kb) ? kb : null;
}
