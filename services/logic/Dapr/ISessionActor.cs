using Dapr.Actors;

namespace Resonance.Logic.Dapr;

/// <summary>
/// A session as a Dapr actor: actor type <c>SessionActor</c>, actor id = session id. Called without
/// remoting (by method name, JSON bodies); each method takes a protobuf <c>SessionActorCall</c> and
/// answers a protobuf <c>SessionActorReply</c> (as base64 JSON strings). The method names are part of
/// the contract between logic replicas of different versions: keep them.
/// </summary>
public interface ISessionActor : IActor
{
    /// <summary><c>create</c> → <c>session</c>: creates the session with this actor's id (a direct session's id must be the pair's).</summary>
    Task<byte[]> Create(byte[] request);

    /// <summary><c>add_members</c> → <c>session</c>.</summary>
    Task<byte[]> AddMembers(byte[] request);

    /// <summary><c>send</c> → <c>ack</c>; publishes the push event of a new message before answering.</summary>
    Task<byte[]> Send(byte[] request);

    /// <summary>
    /// <c>send_many</c> → <c>send_many</c>: sends of the caller to this session, stored in one turn with one state
    /// transaction; one reply per send, in order; publishes the push events of the new messages before answering.
    /// </summary>
    Task<byte[]> SendMany(byte[] request);

    /// <summary><c>sync</c> → <c>sync_result</c>.</summary>
    Task<byte[]> Sync(byte[] request);

    /// <summary>(no command) → <c>members</c>, for task.</summary>
    Task<byte[]> GetMembers(byte[] request);

    /// <summary>(no command) → <c>session</c>, the caller's view for their session list.</summary>
    Task<byte[]> GetSummary(byte[] request);
}
