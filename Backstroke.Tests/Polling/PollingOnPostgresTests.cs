using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Polling;

// The polling tests again, with every app they start on PostgreSQL (see PostgresAttribute).

[Postgres]
public sealed class PollerTestsOnPostgres(ITestOutputHelper output) : PollerTests(PostgresTests.Use(output));

[Postgres]
public sealed class NeverForgottenTestsOnPostgres : NeverForgottenTests
{
    public NeverForgottenTestsOnPostgres() => PostgresTests.Use();
}

[Postgres]
public sealed class RetentionTestsOnPostgres(ITestOutputHelper output) : RetentionTests(PostgresTests.Use(output));
