using Resonance.Logic.Sessions;

namespace Resonance.Logic.Dapr;

/// <summary>One stored message inside a <see cref="MessagePageRecord"/>.</summary>
public sealed class MessageRecord
{
    public long Seq { get; set; }

    public string MsgId { get; set; } = string.Empty;

    public string From { get; set; } = string.Empty;

    public string ClientMsgId { get; set; } = string.Empty;

    public string Content { get; set; } = string.Empty;

    public DateTimeOffset SentAt { get; set; }

    public static MessageRecord Of(StoredMessage message) => new()
    {
        Seq = message.Seq,
        MsgId = message.MsgId,
        From = message.From,
        ClientMsgId = message.ClientMsgId,
        Content = message.Content,
        SentAt = message.SentAt,
    };

    public StoredMessage ToMessage(string sessionId) => new(sessionId, Seq, MsgId, From, ClientMsgId, Content, SentAt);
}
