using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Backstroke.Tests.Support.PostgresAwareTestFramework", "Backstroke.Tests")]

namespace Backstroke.Tests.Support;

/// <summary>
/// A test class whose apps run on PostgreSQL (<see cref="PostgresCluster.Shared"/>). A class of tests written for
/// either provider gets a PostgreSQL twin with three lines:
/// <code>
/// [Postgres]
/// public sealed class QueueTestsOnPostgres(ITestOutputHelper output) : QueueTests(PostgresTests.Use(output));
/// </code>
/// <see cref="PostgresTests.Use"/> runs in the constructor, so every <see cref="BackstrokeApplication"/> the test
/// (or its <c>InitializeAsync</c>) creates afterwards gets a fresh PostgreSQL database instead of a SQLite file.
/// Without PostgreSQL these tests are reported skipped with the reason, unless BACKSTROKE_REQUIRE_POSTGRES=1 makes
/// them run (and fail). Filter them with <c>--filter Database=Postgres</c>.
/// </summary>
[TraitDiscoverer("Backstroke.Tests.Support.PostgresTraitDiscoverer", "Backstroke.Tests")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PostgresAttribute : Attribute, ITraitAttribute;

public sealed class PostgresTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("Database", "Postgres");
    }
}

internal static class PostgresTests
{
    private static readonly AsyncLocal<bool> active = new();

    /// <summary>Whether apps created from here on (in this test's flow) run on PostgreSQL.</summary>
    public static bool Active => active.Value;

    /// <summary>Apps created from here on in this test run on PostgreSQL; returns <paramref name="value"/>, so that it
    /// can be called in a base-constructor call.</summary>
    public static T Use<T>(T value)
    {
        active.Value = true;
        return value;
    }

    /// <summary>Apps created from here on in this test run on PostgreSQL.</summary>
    public static bool Use() => Use(true);
}

/// <summary>xunit's own framework, except that without PostgreSQL the tests of a <see cref="PostgresAttribute"/> class
/// are discovered as skipped, with the reason (xunit 2 has no skip decided while a test runs).</summary>
public sealed class PostgresAwareTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider sources, IMessageSink sink)
        : XunitTestFrameworkDiscoverer(assembly, sources, sink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (PostgresCluster.MissingReason is not { } reason || PostgresCluster.Required
                || !testMethod.TestClass.Class.GetCustomAttributes(typeof(PostgresAttribute)).Any()
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var skipped = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
