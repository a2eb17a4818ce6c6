using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Resonance.Logic.Local;

/// <summary>
/// The single writer of the database. Writes queued while a commit is under way are committed
/// together (group commit), each inside its own savepoint so one failing write fails alone.
/// A write's task completes only after its transaction is committed.
/// </summary>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly int _maxWritesPerCommit;
    private readonly Task _loop;

    public SqliteWriteQueue(SqliteConnection connection, int maxWritesPerCommit)
    {
        _connection = connection;
        _maxWritesPerCommit = maxWritesPerCommit;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> WriteAsync<T>(Func<SqliteTransaction, T> write)
    {
        var pending = new PendingWrite<T>(write);
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
        await _connection.DisposeAsync();
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(_maxWritesPerCommit);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxWritesPerCommit && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var write in batch)
            {
                transaction.Save("w");
                try
                {
                    write.Execute(transaction);
                    transaction.Release("w");
                }
                catch (Exception ex)
                {
                    transaction.Rollback("w");
                    transaction.Release("w");
                    write.Fail(ex);
                }
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private abstract class PendingWrite
    {
        public abstract void Execute(SqliteTransaction transaction);

        public abstract void Fail(Exception exception);

        public abstract void Complete();
    }

    private sealed class PendingWrite<T>(Func<SqliteTransaction, T> write) : PendingWrite
    {
        private T? _result;
        private bool _failed;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Execute(SqliteTransaction transaction) => _result = write(transaction);

        public override void Fail(Exception exception)
        {
            _failed = true;
            Completion.TrySetException(exception);
        }

        public override void Complete()
        {
            if (!_failed)
            {
                Completion.TrySetResult(_result!);
            }
        }
    }
}
