using Microsoft.Data.Sqlite;
using Resonance.Logic.Local;

namespace Resonance.Logic.Tests;

public sealed class SqliteWriteQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Writes_queued_during_a_commit_share_the_next_transaction_and_a_failing_one_fails_alone()
    {
        await using var database = new TempDatabase();
        await using var queue = new SqliteWriteQueue(database.OpenWriter(), maxWritesPerCommit: 256);
        using var release = new ManualResetEventSlim();
        var first = await StartBlockedWriteAsync(queue, release);

        var good = Enumerable.Range(1, 4).Select(i => queue.WriteAsync(transaction => Insert(transaction, i))).ToList();
        var bad = queue.WriteAsync<SqliteTransaction>(transaction =>
        {
            Insert(transaction, 99);
            throw new InvalidOperationException("refused");
        });
        var last = queue.WriteAsync(transaction => Insert(transaction, 5));
        release.Set();

        var firstTransaction = await first.WaitAsync(Timeout);
        var groupTransactions = await Task.WhenAll(good.Append(last)).WaitAsync(Timeout);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad.WaitAsync(Timeout));

        Assert.Equal("refused", error.Message);
        Assert.All(groupTransactions, t => Assert.Same(groupTransactions[0], t));
        Assert.NotSame(firstTransaction, groupTransactions[0]);
        Assert.Equal([0L, 1, 2, 3, 4, 5], database.Rows());
    }

    [Fact]
    public async Task A_group_commit_holds_at_most_max_writes_per_commit()
    {
        await using var database = new TempDatabase();
        await using var queue = new SqliteWriteQueue(database.OpenWriter(), maxWritesPerCommit: 2);
        using var release = new ManualResetEventSlim();
        var first = await StartBlockedWriteAsync(queue, release);

        var queued = Enumerable.Range(1, 5).Select(i => queue.WriteAsync(transaction => Insert(transaction, i))).ToList();
        release.Set();
        await first.WaitAsync(Timeout);
        var transactions = await Task.WhenAll(queued).WaitAsync(Timeout);

        Assert.Same(transactions[0], transactions[1]);
        Assert.Same(transactions[2], transactions[3]);
        Assert.NotSame(transactions[1], transactions[2]);
        Assert.NotSame(transactions[3], transactions[4]);
        Assert.Equal([0L, 1, 2, 3, 4, 5], database.Rows());
    }

    [Fact]
    public async Task Writing_after_dispose_throws_object_disposed()
    {
        await using var database = new TempDatabase();
        var queue = new SqliteWriteQueue(database.OpenWriter(), maxWritesPerCommit: 1);
        await queue.WriteAsync(transaction => Insert(transaction, 1)).WaitAsync(Timeout);

        await queue.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = queue.WriteAsync(transaction => Insert(transaction, 2)); });
        Assert.Equal([1L], database.Rows());
    }

    private static SqliteTransaction Insert(SqliteTransaction transaction, long value)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO t (v) VALUES ($v);";
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
        return transaction;
    }

    /// <summary>A one-table database in a temp directory of its own, deleted on dispose.</summary>
    private sealed class TempDatabase : IAsyncDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "resonance-logic-tests", Guid.NewGuid().ToString("N"));

        public TempDatabase()
        {
            Directory.CreateDirectory(_directory);
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER PRIMARY KEY);";
            command.ExecuteNonQuery();
        }

        public SqliteConnection OpenWriter() => Open();

        public List<long> Rows()
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT v FROM t ORDER BY v;";
            using var reader = command.ExecuteReader();
            var rows = new List<long>();
            while (reader.Read())
            {
                rows.Add(reader.GetInt64(0));
            }

            return rows;
        }

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            return ValueTask.CompletedTask;
        }

        private SqliteConnection Open()
        {
            var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "t.db")}");
            connection.Open();
            return connection;
        }
    }

    /// <summary>Queues row 0 and returns once the writer is inside it, held until <paramref name="release"/> is set: what is queued meanwhile waits for the next commit.</summary>
    private static async Task<Task<SqliteTransaction>> StartBlockedWriteAsync(SqliteWriteQueue queue, ManualResetEventSlim release)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = queue.WriteAsync(transaction =>
        {
            started.SetResult();
            release.Wait(Timeout);
            return Insert(transaction, 0);
        });
        await started.Task.WaitAsync(Timeout);
        return write;
    }
}
