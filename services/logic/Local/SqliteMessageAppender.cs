using Microsoft.Data.Sqlite;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Local;

/// <summary>
/// Appends messages on the writer connection with two prepared statements, reused for every message: the hot
/// path of a busy session then parses no SQL. Used only inside writes of <see cref="SqliteWriteQueue"/>, which
/// run one at a time, so the statements are never shared between threads.
/// </summary>
internal sealed class SqliteMessageAppender : IDisposable
{
    private const string Savepoint = "m";

    private SqliteCommand? _advance;
    private SqliteCommand? _insert;

    /// <summary>
    /// Stores one message in its own savepoint of <paramref name="transaction"/>: a message that is not appended
    /// leaves nothing behind, and the messages around it in the same transaction are unaffected.
    /// </summary>
    public AppendResult Append(SqliteTransaction transaction, StoredMessage message)
    {
        var (advance, insert) = Prepare(transaction);
        transaction.Save(Savepoint);
        advance.Parameters[0].Value = message.SessionId;
        advance.Parameters[1].Value = message.Seq;
        if (advance.ExecuteNonQuery() != 1)
        {
            transaction.Rollback(Savepoint);
            transaction.Release(Savepoint);
            return AppendResult.SeqConflict;
        }

        // The unique (session, sender, client message id) index is the dedup check: no read first.
        insert.Parameters[0].Value = message.SessionId;
        insert.Parameters[1].Value = message.Seq;
        insert.Parameters[2].Value = message.MsgId;
        insert.Parameters[3].Value = message.From;
        insert.Parameters[4].Value = message.ClientMsgId;
        insert.Parameters[5].Value = message.Content;
        insert.Parameters[6].Value = message.SentAt.UtcTicks;
        if (insert.ExecuteNonQuery() == 0)
        {
            // A repeat: the seq goes back with the savepoint.
            transaction.Rollback(Savepoint);
            transaction.Release(Savepoint);
            return AppendResult.DuplicateClientMsgId;
        }

        transaction.Release(Savepoint);
        return AppendResult.Appended;
    }

    public void Dispose()
    {
        _advance?.Dispose();
        _insert?.Dispose();
    }

    private (SqliteCommand Advance, SqliteCommand Insert) Prepare(SqliteTransaction transaction)
    {
        if (_advance is null || _insert is null)
        {
            _advance = Create(transaction, "UPDATE sessions SET last_seq = $seq WHERE id = $id AND last_seq = $seq - 1;", "$id", "$seq");
            _insert = Create(transaction, """
                INSERT INTO messages (session_id, seq, msg_id, sender, client_msg_id, content, sent_at)
                VALUES ($id, $seq, $msgId, $sender, $clientMsgId, $content, $sentAt)
                ON CONFLICT (session_id, sender, client_msg_id) DO NOTHING;
                """, "$id", "$seq", "$msgId", "$sender", "$clientMsgId", "$content", "$sentAt");
        }

        _advance.Transaction = transaction;
        _insert.Transaction = transaction;
        return (_advance, _insert);
    }

    private static SqliteCommand Create(SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
