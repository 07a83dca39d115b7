using Backstroke.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Backstroke.Sync;

/// <summary>
/// Writes one batch of <see cref="SyncQueue"/> requests in one transaction. Plain prepared commands, not EF queries:
/// this runs for every trigger, on the one writer, and each row is an index look-up and an insert.
/// <para>
/// Coalescing stays exact: the insert does nothing when the link already has a queued operation (the partial unique
/// index), and the look-up of that operation's id runs in the same write transaction, so no worker can claim it in
/// between. Requests for one link within a batch coalesce the same way, in order.
/// </para>
/// </summary>
internal static class EnqueueBatch
{
    private const int SqliteConstraint = 19;

    private const string InsertForLink = """
        INSERT INTO "Operations" ("Id", "LinkId", "Kind", "Status", "Attempts", "EnqueuedAt", "FromRequest")
        VALUES (@id, @link, @kind, 'Queued', 0, @now, @from)
        ON CONFLICT DO NOTHING
        """;

    private const string QueuedForLink = """SELECT "Id" FROM "Operations" WHERE "LinkId" = @link AND "Status" = 'Queued'""";

    // Only an enabled link gets an operation; when nothing is inserted, the next query tells the caller why.
    private const string InsertForWebhook = """
        INSERT INTO "Operations" ("Id", "LinkId", "Kind", "Status", "Attempts", "EnqueuedAt", "FromRequest")
        SELECT @id, "Id", @kind, 'Queued', 0, @now, @from FROM "Links" WHERE "WebhookId" = @webhook AND "Enabled"
        ON CONFLICT DO NOTHING
        RETURNING "LinkId"
        """;

    private const string QueuedForWebhook = """
        SELECT l."Enabled", (SELECT o."Id" FROM "Operations" o WHERE o."LinkId" = l."Id" AND o."Status" = 'Queued'), l."Id"
        FROM "Links" l WHERE l."WebhookId" = @webhook
        """;

    public static void Write(BackstrokeDbContext db, List<PendingEnqueue> batch, DateTimeOffset now)
    {
        db.Database.OpenConnection();
        try
        {
            var connection = db.Database.GetDbConnection();
            // IMMEDIATE: the write lock is taken at BEGIN, so the look-ups below see what the inserts will be checked against.
            using var transaction = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : connection.BeginTransaction();
            // PostgreSQL aborts the whole transaction on a failed statement: each request gets a savepoint there.
            var savepoints = connection is not SqliteConnection;
            using var commands = new Commands(connection, transaction, now.ToUnixTimeMilliseconds());
            foreach (var request in batch)
            {
                try
                {
                    if (savepoints)
                    {
                        transaction.Save("request");
                    }

                    request.Result = request.WebhookId is { } webhookId
                        ? commands.ForWebhook(webhookId, request)
                        : new TriggerResult(TriggerStatus.Queued, commands.ForLink(request.LinkId!, request));
                    if (savepoints)
                    {
                        transaction.Release("request");
                    }
                }
                catch (DbException ex) when (ex is SqliteException { SqliteErrorCode: SqliteConstraint } or PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
                {
                    // E.g. the link was deleted since the caller read it: that statement alone failed, the batch goes on.
                    request.Failure = ex;
                    if (savepoints)
                    {
                        transaction.Rollback("request");
                    }
                }
            }

            transaction.Commit();
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    private sealed class Commands(DbConnection connection, DbTransaction transaction, long now) : IDisposable
    {
        private DbCommand? insertForLink, queuedForLink, insertForWebhook, queuedForWebhook;

        public EnqueueResult ForLink(string linkId, PendingEnqueue request)
        {
            var id = Ids.NewOperationId();
            var insert = Prepare(ref insertForLink, InsertForLink);
            Bind(insert, id, request);
            insert.Parameters["@link"].Value = linkId;
            if (insert.ExecuteNonQuery() == 1)
            {
                return new EnqueueResult(id, Created: true);
            }

            var find = Prepare(ref queuedForLink, QueuedForLink);
            find.Parameters["@link"].Value = linkId;
            return find.ExecuteScalar() is string existing
                ? new EnqueueResult(existing, Created: false)
                : throw new InvalidOperationException($"Could not queue an operation for link {linkId}.");
        }

        public TriggerResult ForWebhook(string webhookId, PendingEnqueue request)
        {
            var id = Ids.NewOperationId();
            var insert = Prepare(ref insertForWebhook, InsertForWebhook);
            Bind(insert, id, request);
            insert.Parameters["@webhook"].Value = webhookId;
            if (insert.ExecuteScalar() is string linkId)
            {
                return new TriggerResult(TriggerStatus.Queued, new EnqueueResult(id, Created: true), linkId);
            }

            var find = Prepare(ref queuedForWebhook, QueuedForWebhook);
            find.Parameters["@webhook"].Value = webhookId;
            using var reader = find.ExecuteReader();
            if (!reader.Read())
            {
                return new TriggerResult(TriggerStatus.NoSuchLink, default);
            }

            var link = reader.GetString(2);
            return !reader.GetBoolean(0) ? new TriggerResult(TriggerStatus.LinkDisabled, default, link)
                : !reader.IsDBNull(1) ? new TriggerResult(TriggerStatus.Queued, new EnqueueResult(reader.GetString(1), Created: false), link)
                : throw new InvalidOperationException($"Could not queue an operation for the link of webhook {webhookId}.");
        }

        public void Dispose()
        {
            insertForLink?.Dispose();
            queuedForLink?.Dispose();
            insertForWebhook?.Dispose();
            queuedForWebhook?.Dispose();
        }

        private static void Bind(DbCommand insert, string id, PendingEnqueue request)
        {
            insert.Parameters["@id"].Value = id;
            insert.Parameters["@kind"].Value = KindText(request.Kind);
            insert.Parameters["@from"].Value = (object?)request.FromRequest ?? DBNull.Value;
        }

        private static string KindText(OperationKind kind) => kind switch
        {
            OperationKind.Webhook => nameof(OperationKind.Webhook),
            OperationKind.Manual => nameof(OperationKind.Manual),
            _ => kind.ToString(),
        };

        private DbCommand Prepare(ref DbCommand? command, string sql)
        {
            if (command is null)
            {
                command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                foreach (var name in new[] { "@id", "@link", "@webhook", "@kind", "@now", "@from" })
                {
                    if (sql.Contains(name, StringComparison.Ordinal))
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = name;
                        command.Parameters.Add(parameter);
                    }
                }

                if (command.Parameters.Contains("@now"))
                {
                    command.Parameters["@now"].Value = now;
                }
            }

            return command;
        }
    }
}
