using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>A pending command whose answer is a <typeparamref name="T"/>.</summary>
internal abstract class PendingReply<T>(WsPacket packet) : PendingCommand(packet)
{
    // Continuations run off the read loop, so a slow awaiter cannot stall the socket.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public void Complete(T result) => _completion.TrySetResult(result);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
