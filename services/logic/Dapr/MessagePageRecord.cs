namespace Resonance.Logic.Dapr;

/// <summary>
/// Up to <see cref="ActorSessionState.PageSize"/> consecutive messages under one key (<c>page-N</c> holds
/// seqs N·size+1 … (N+1)·size): an append rewrites one small page, a history read of a page costs one get.
/// </summary>
public sealed class MessagePageRecord
{
    public List<MessageRecord> Messages { get; init; } = [];
}
