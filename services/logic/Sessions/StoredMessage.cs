using Google.Protobuf.WellKnownTypes;
using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <summary>One durable message of a session.</summary>
public sealed record StoredMessage(
    string SessionId,
    long Seq,
    string MsgId,
    string From,
    string ClientMsgId,
    string Content,
    DateTimeOffset SentAt)
{
    public Push ToPush() => new()
    {
        SessionId = SessionId,
        Seq = Seq,
        MsgId = MsgId,
        From = From,
        Content = Content,
        SentAt = Timestamp.FromDateTimeOffset(SentAt),
    };

    public SendAck ToAck() => new()
    {
        ClientMsgId = ClientMsgId,
        MsgId = MsgId,
        SessionId = SessionId,
        Seq = Seq,
        SentAt = Timestamp.FromDateTimeOffset(SentAt),
    };
}
