using Resonance.Contracts.V1;

namespace Resonance.TaskService.Tests;

/// <summary>The messages a batch carries, in order: its one <c>message</c>, or its run of <c>messages</c>.</summary>
internal static class PushBatchMessages
{
    public static IReadOnlyList<Push> All(this PushBatch batch) => batch.Messages.Count > 0 ? batch.Messages : [batch.Message];
}
