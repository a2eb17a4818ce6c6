using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Local;

/// <summary>
/// Sessions, members and messages in one SQLite file: the Local engine's durable state. The members
/// table is the per-user index too, written in the same transaction as the session.
/// </summary>
public sealed class SqliteSessionStore : ISessionStateStore, ISessionIndex, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteWriteQueue _writes;
    private readonly FileStream _directoryLock;
    private readonly SqliteMessageAppender _appender = new();

    public SqliteSessionStore(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        Directory.CreateDirectory(storage.DataDirectory);
        _directoryLock = LockDirectory(storage.DataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = storage.DatabasePath,
            Pooling = true,
        }.ToString();

        var writer = new SqliteConnection(_connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode = WAL;");
        Execute(writer, $"PRAGMA synchronous = {(storage.Synchronous == SqliteSynchronous.Normal ? "NORMAL" : "FULL")};");
        Execute(writer, SqliteSchema.Create);
        _writes = new SqliteWriteQueue(writer, storage.MaxWritesPerCommit);
    }

    public ISessionState Open(string sessionId) => new SqliteSessionState(this, sessionId);

    /// <summary>The members rows written with the session are the index: nothing more to record.</summary>
    public Task AddAsync(string sessionId, IReadOnlyCollection<string> usernames, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<string>> ListAsync(string username, string afterSessionId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT session_id FROM members WHERE username = $user AND session_id > $after ORDER BY session_id LIMIT $limit;";
        command.Parameters.AddWithValue("$user", username);
        command.Parameters.AddWithValue("$after", afterSessionId);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<SessionHead?> LoadAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT kind, name, members_version, last_seq FROM sessions WHERE id = $id;
            SELECT username FROM members WHERE session_id = $id;
            """;
        command.Parameters.AddWithValue("$id", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var (kind, name, membersVersion, lastSeq) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3));
        await reader.NextResultAsync(cancellationToken);
        var members = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(reader.GetString(0));
        }

        return new SessionHead(sessionId, kind, name, members.ToImmutable(), membersVersion, lastSeq);
    }

    public Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        _writes.WriteAsync(transaction =>
        {
            using var insert = Command(transaction, """
                INSERT INTO sessions (id, kind, name, members_version, last_seq, created_at)
                VALUES ($id, $kind, $name, $version, $lastSeq, $createdAt) ON CONFLICT (id) DO NOTHING;
                """);
            insert.Parameters.AddWithValue("$id", head.SessionId);
            insert.Parameters.AddWithValue("$kind", head.Kind);
            insert.Parameters.AddWithValue("$name", head.Name);
            insert.Parameters.AddWithValue("$version", head.MembersVersion);
            insert.Parameters.AddWithValue("$lastSeq", head.LastSeq);
            insert.Parameters.AddWithValue("$createdAt", createdAt.UtcTicks);
            if (insert.ExecuteNonQuery() == 0)
            {
                return false;
            }

            InsertMembers(transaction, head.SessionId, head.Members);
            return true;
        });

    public Task AddMembersAsync(string sessionId, IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken) =>
        _writes.WriteAsync(transaction =>
        {
            InsertMembers(transaction, sessionId, added);
            using var update = Command(transaction, "UPDATE sessions SET members_version = $version WHERE id = $id;");
            update.Parameters.AddWithValue("$id", sessionId);
            update.Parameters.AddWithValue("$version", membersVersion);
            return update.ExecuteNonQuery();
        });

    public Task<AppendResult> AppendAsync(StoredMessage message, CancellationToken cancellationToken) =>
        _writes.WriteAsync(transaction => _appender.Append(transaction, message));

    /// <summary>One write, so one commit, for the whole batch; each message in its own savepoint.</summary>
    public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken) =>
        _writes.WriteAsync<IReadOnlyList<AppendResult>>(transaction =>
        {
            var results = new List<AppendResult>(messages.Count);
            foreach (var message in messages)
            {
                var result = _appender.Append(transaction, message);
                results.Add(result);
                if (result != AppendResult.Appended)
                {
                    break;
                }
            }

            return results;
        });

    public async Task<StoredMessage?> FindByClientMsgIdAsync(string sessionId, string from, string clientMsgId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MessageColumns} FROM messages WHERE session_id = $id AND sender = $sender AND client_msg_id = $clientMsgId;";
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$sender", from);
        command.Parameters.AddWithValue("$clientMsgId", clientMsgId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadMessage(reader) : null;
    }

    public async Task<IReadOnlyList<StoredMessage>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {MessageColumns} FROM messages WHERE session_id = $id AND seq > $afterSeq ORDER BY seq LIMIT $limit;";
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$afterSeq", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<StoredMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(ReadMessage(reader));
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync();
        _appender.Dispose();
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
        await _directoryLock.DisposeAsync();
    }

    /// <summary>
    /// One process per data directory: each keeps sequence numbers in memory, so a second one
    /// would refuse every send of the sessions both touch. The lock goes with the process.
    /// </summary>
    private static FileStream LockDirectory(string directory)
    {
        var path = Path.Combine(directory, "resonance.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"The data directory {Path.GetFullPath(directory)} is in use by another Resonance process.", ex);
        }
    }

    private const string MessageColumns = "session_id, seq, msg_id, sender, client_msg_id, content, sent_at";

    private static StoredMessage ReadMessage(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        new DateTimeOffset(reader.GetInt64(6), TimeSpan.Zero));

    private static void InsertMembers(SqliteTransaction transaction, string sessionId, IEnumerable<string> members)
    {
        using var insert = Command(transaction, "INSERT INTO members (session_id, username) VALUES ($id, $user) ON CONFLICT DO NOTHING;");
        var user = insert.Parameters.Add("$user", SqliteType.Text);
        insert.Parameters.AddWithValue("$id", sessionId);
        foreach (var member in members)
        {
            user.Value = member;
            insert.ExecuteNonQuery();
        }
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
