using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

// The queue and sync tests again, with every app they start on PostgreSQL (see PostgresAttribute).

[Postgres]
public sealed class QueueTestsOnPostgres(ITestOutputHelper output) : QueueTests(PostgresTests.Use(output));

[Postgres]
public sealed class FastForwardSyncTestsOnPostgres(ITestOutputHelper output) : FastForwardSyncTests(PostgresTests.Use(output));

[Postgres]
public sealed class PullRequestSyncTestsOnPostgres(ITestOutputHelper output) : PullRequestSyncTests(PostgresTests.Use(output));

// Class-level attributes are not inherited by xunit: the twin repeats them.
[Postgres]
[Slow(SlowAttribute.Crash)]
[Collection(RealProcessCollection.Name)]
public sealed class CrashRecoveryTestsOnPostgres(ITestOutputHelper output) : CrashRecoveryTests(PostgresTests.Use(output));
