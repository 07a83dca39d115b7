using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Webhooks;

// The GitHub webhook tests again, on an app on PostgreSQL (see PostgresAttribute).

[Postgres]
public sealed class GitHubWebhookTestsOnPostgres(PostgresWebhookAppFixture shared, ITestOutputHelper output)
    : GitHubWebhookTests(shared, output), IClassFixture<PostgresWebhookAppFixture>;

/// <summary>The webhook tests' app on PostgreSQL: the switch is set before the base class creates the app.</summary>
public sealed class PostgresWebhookAppFixture : WebhookAppFixture
{
    private readonly bool onPostgres = PostgresTests.Use();

    public bool OnPostgres => onPostgres;
}
