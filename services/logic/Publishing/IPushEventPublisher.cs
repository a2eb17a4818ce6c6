using Resonance.Contracts.V1;

namespace Resonance.Logic.Publishing;

/// <summary>Hands a stored message to the push pipeline (task). Called in seq order per session.</summary>
public interface IPushEventPublisher
{
    Task PublishAsync(PushEvent pushEvent, CancellationToken cancellationToken);
}
