using System.Data.Common;
using Backstroke.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Backstroke.Sync;

/// <summary>
/// Writes one batch of <see cref="SyncQueue"/> requests in one transaction. Plain prepared commands, not EF queries:
/// this runs for every trigger, on the one writer, and each row is an index look-up and an insert.
/// <para>
/// Coalescing stays exact: the insert does nothing when the link already has a queued operation (the partial unique
/// index), and the look-up of that operation's id runs in the same transaction. On SQLite the write lock is taken at
/// BEGIN, so no worker can claim it in between; on PostgreSQL one can, and then the insert is simply tried again.
/// Requests for one link within a batch coalesce the same way, in order. A request for a link that does not exist
/// inserts nothing and fails alone (<see cref="LinkGoneException"/>); the others are committed.
/// </para>
/// </summary>
internal static class EnqueueBatch
{
    private const int Tries = 3;

    // Through the link, so that a link deleted meanwhile inserts nothing instead of failing the statement (which on
    // PostgreSQL would abort the whole batch's transaction).
    private const string InsertForLink = """
        INSERT INTO "Operations" ("Id", "LinkId", "Kind", "Status", "Attempts", "EnqueuedAt", "FromRequest")
        SELECT @id, "Id", @kind, 'Queued', 0, @now, @from FROM "Links" WHERE "Id" = @link
        ON CONFLICT DO NOTHING
        """;

    private const string QueuedForLink = """
        SELECT l."Id", (SELECT o."Id" FROM "Operations" o WHERE o."LinkId" = l."Id" AND o."Status" = 'Queued')
        FROM "Links" l WHERE l."Id" = @link
        """;

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

    /// <summary>Writes the batch; on PostgreSQL, <paramref name="notify"/> (if any) runs in the same transaction, so the
    /// other instances hear of the new rows once they are committed.</summary>
    public static void Write(BackstrokeDbContext db, List<PendingEnqueue> batch, DateTimeOffset now, Action<DbConnection, DbTransaction>? notify)
    {
        db.Database.OpenConnection();
        try
        {
            var connection = db.Database.GetDbConnection();
            // SQLite: IMMEDIATE, the write lock is taken at BEGIN, so the look-ups below see what the inserts will be
            // checked against.
            using var transaction = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : connection.BeginTransaction();
            using var commands = new Commands(connection, transaction, now.ToUnixTimeMilliseconds());
            var created = false;
            foreach (var request in batch)
            {
                request.Failure = null;
                request.Result = request.WebhookId is { } webhookId
                    ? commands.ForWebhook(webhookId, request)
                    : commands.ForLink(request.LinkId!, request);
                created |= request.Result.Enqueued.Created;
            }

            if (created)
            {
                notify?.Invoke(connection, transaction);
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

        public TriggerResult ForLink(string linkId, PendingEnqueue request)
        {
            for (var attempt = 1; attempt <= Tries; attempt++)
            {
                var id = Ids.NewOperationId();
                var insert = Prepare(ref insertForLink, InsertForLink);
                Bind(insert, id, request);
                insert.Parameters["@link"].Value = linkId;
                if (insert.ExecuteNonQuery() == 1)
                {
                    return new TriggerResult(TriggerStatus.Queued, new EnqueueResult(id, Created: true), linkId);
                }

                var find = Prepare(ref queuedForLink, QueuedForLink);
                find.Parameters["@link"].Value = linkId;
                using var reader = find.ExecuteReader();
                if (!reader.Read())
                {
                    request.Failure = new LinkGoneException(linkId);
                    return default;
                }

                if (!reader.IsDBNull(1))
                {
                    return new TriggerResult(TriggerStatus.Queued, new EnqueueResult(reader.GetString(1), Created: false), linkId);
                }

                // Claimed between the insert and the look-up (PostgreSQL only): the insert will now succeed.
            }

            throw new InvalidOperationException($"Could not queue an operation for link {linkId}.");
        }

        public TriggerResult ForWebhook(string webhookId, PendingEnqueue request)
        {
            for (var attempt = 1; attempt <= Tries; attempt++)
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
                if (!reader.GetBoolean(0))
                {
                    return new TriggerResult(TriggerStatus.LinkDisabled, default, link);
                }

                if (!reader.IsDBNull(1))
                {
                    return new TriggerResult(TriggerStatus.Queued, new EnqueueResult(reader.GetString(1), Created: false), link);
                }
            }

            throw new InvalidOperationException($"Could not queue an operation for the link of webhook {webhookId}.");
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
                        // Typed, so a null request id is sent as text, not as a value of unknown type.
                        parameter.DbType = name == "@now" ? System.Data.DbType.Int64 : System.Data.DbType.String;
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

/// <summary>The link a request named does not exist (any more): that request alone fails. A database exception, as the
/// constraint failure it replaces was, so callers that tolerate those tolerate this.</summary>
internal sealed class LinkGoneException(string linkId) : DbException($"Link {linkId} does not exist; nothing was queued for it.");
