using Resonance.Contracts.V1;
using Resonance.Logic.Publishing;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

/// <summary>Publishing is queueing into task's worker for the session: the in-process channel is the bus.</summary>
public sealed class LocalPushEventPublisher(PushDispatcher dispatcher) : IPushEventPublisher
{
    public Task PublishAsync(PushEvent pushEvent, CancellationToken cancellationToken) =>
        dispatcher.EnqueueAsync(pushEvent, cancellationToken).AsTask();
}
