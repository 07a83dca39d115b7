using System.Data.Common;

namespace Backstroke.Sync;

/// <summary>
/// Wake-ups between instances on PostgreSQL: an enqueue that queued something runs <c>pg_notify</c> inside its
/// transaction, which PostgreSQL delivers to every listening connection when (and only if) the transaction commits.
/// The payload names the sending instance, whose own workers were already woken in process.
/// </summary>
internal static class QueueNotifications
{
    public const string Channel = "backstroke_queue";

    public static void Notify(DbConnection connection, DbTransaction transaction, string instance)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_notify(@channel, @instance)";
        var channel = command.CreateParameter();
        channel.ParameterName = "@channel";
        channel.Value = Channel;
        command.Parameters.Add(channel);
        var sender = command.CreateParameter();
        sender.ParameterName = "@instance";
        sender.Value = instance;
        command.Parameters.Add(sender);
        command.ExecuteNonQuery();
    }
}
