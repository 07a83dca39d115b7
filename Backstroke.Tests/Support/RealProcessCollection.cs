namespace Backstroke.Tests.Support;

/// <summary>
/// Tests that start Backstroke as a real process and give it seconds to start, sync or stop. They run one at a time,
/// after the parallel tests: beside a dozen in-process apps and an image publish on two cores, a process's start alone
/// can outlast their deadlines.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessCollection
{
    public const string Name = "real processes";
}
