using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Resonance.FakeDapr;

/// <summary>
/// The sidecar's gRPC API (service <c>dapr.proto.runtime.v1.Dapr</c>) for the methods the apps use: state and
/// publish. Only the client side is generated in the SDK, so the methods are bound from the service descriptor
/// (<see cref="MethodProvider"/>). Status codes as daprd's (dapr/dapr pkg/api/grpc): an etag mismatch is ABORTED,
/// an unknown store INVALID_ARGUMENT.
/// </summary>
internal sealed class DaprGrpcService(FakeSidecar sidecar)
{
    public FakeSidecar Sidecar => sidecar;

    private FakeDaprCluster Cluster => sidecar.Cluster;

    public Task<GetStateResponse> GetState(GetStateRequest request, ServerCallContext context)
    {
        var store = Store(request.StoreName);
        var found = store.Get(store.KeyOf(sidecar.AppId, request.Key));
        var response = new GetStateResponse();
        if (found is { } entry)
        {
            response.Data = ByteString.CopyFrom(entry.Value);
            response.Etag = entry.Etag;
        }

        return Task.FromResult(response);
    }

    public Task<GetBulkStateResponse> GetBulkState(GetBulkStateRequest request, ServerCallContext context)
    {
        var store = Store(request.StoreName);
        var response = new GetBulkStateResponse();
        foreach (var key in request.Keys)
        {
            var item = new BulkStateItem { Key = key };
            if (store.Get(store.KeyOf(sidecar.AppId, key)) is { } entry)
            {
                item.Data = ByteString.CopyFrom(entry.Value);
                item.Etag = entry.Etag;
            }

            response.Items.Add(item);
        }

        return Task.FromResult(response);
    }

    public Task<Empty> SaveState(SaveStateRequest request, ServerCallContext context)
    {
        var store = Store(request.StoreName);
        var writes = request.States.Select(state => new StateWrite(
            store.KeyOf(sidecar.AppId, state.Key),
            state.Value.ToByteArray(),
            state.Etag?.Value,
            state.Options?.Concurrency == StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite,
            Delete: false,
            Ttl(state.Metadata))).ToList();
        Apply(store, writes);
        return Task.FromResult(new Empty());
    }

    public Task<Empty> DeleteState(DeleteStateRequest request, ServerCallContext context)
    {
        var store = Store(request.StoreName);
        Apply(store, [new StateWrite(store.KeyOf(sidecar.AppId, request.Key), [], request.Etag?.Value, FirstWrite: false, Delete: true, null)]);
        return Task.FromResult(new Empty());
    }

    public Task<Empty> ExecuteStateTransaction(ExecuteStateTransactionRequest request, ServerCallContext context)
    {
        var store = Store(request.StoreName);
        var writes = request.Operations.Select(op => new StateWrite(
            store.KeyOf(sidecar.AppId, op.Request.Key),
            op.Request.Value.ToByteArray(),
            op.Request.Etag?.Value,
            op.Request.Options?.Concurrency == StateOptions.Types.StateConcurrency.ConcurrencyFirstWrite,
            Delete: op.OperationType == "delete",
            Ttl(op.Request.Metadata))).ToList();
        Apply(store, writes);
        return Task.FromResult(new Empty());
    }

    public Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        if (!Cluster.Options.PubSubs.Contains(request.PubsubName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"pubsub {request.PubsubName} is not found"));
        }

        Cluster.Publish(sidecar.AppId, request.PubsubName, request.Topic, request.Data.ToByteArray(), request.DataContentType, Ttl(request.Metadata));
        return Task.FromResult(new Empty());
    }

    private static long? Ttl(Google.Protobuf.Collections.MapField<string, string> metadata) =>
        metadata.TryGetValue("ttlInSeconds", out var text) && long.TryParse(text, out var seconds) ? seconds : null;

    private static void Apply(StateStoreData store, IReadOnlyList<StateWrite> writes)
    {
        try
        {
            store.Apply(writes);
        }
        catch (EtagMismatchException ex)
        {
            throw new RpcException(new Status(StatusCode.Aborted, $"failed saving state in state store {store.Store.Name}: {ex.Message}"));
        }
        catch (FirstWriteConflictException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"failed saving state in state store {store.Store.Name}: {ex.Message}"));
        }
    }

    private StateStoreData Store(string name) =>
        Cluster.StoreNamed(name) ?? throw new RpcException(new Status(StatusCode.InvalidArgument, $"state store {name} is not found"));

    /// <summary>Binds the methods above to their names in Dapr's service descriptor.</summary>
    internal sealed class MethodProvider : IServiceMethodProvider<DaprGrpcService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DaprGrpcService> context)
        {
            Add<GetStateRequest, GetStateResponse>(context, "GetState", (s, r, c) => s.GetState(r, c));
            Add<GetBulkStateRequest, GetBulkStateResponse>(context, "GetBulkState", (s, r, c) => s.GetBulkState(r, c));
            Add<SaveStateRequest, Empty>(context, "SaveState", (s, r, c) => s.SaveState(r, c));
            Add<DeleteStateRequest, Empty>(context, "DeleteState", (s, r, c) => s.DeleteState(r, c));
            Add<ExecuteStateTransactionRequest, Empty>(context, "ExecuteStateTransaction", (s, r, c) => s.ExecuteStateTransaction(r, c));
            Add<PublishEventRequest, Empty>(context, "PublishEvent", (s, r, c) => s.PublishEvent(r, c));
        }

        private static void Add<TRequest, TResponse>(ServiceMethodProviderContext<DaprGrpcService> context, string name, UnaryServerMethod<DaprGrpcService, TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>, new()
            where TResponse : class, IMessage<TResponse>, new()
        {
            var requestParser = new MessageParser<TRequest>(() => new TRequest());
            var responseParser = new MessageParser<TResponse>(() => new TResponse());
            var method = new Method<TRequest, TResponse>(
                MethodType.Unary,
                global::Dapr.Client.Autogen.Grpc.v1.Dapr.Descriptor.FullName,
                name,
                Marshallers.Create(m => m.ToByteArray(), requestParser.ParseFrom),
                Marshallers.Create(m => m.ToByteArray(), responseParser.ParseFrom));
            context.AddUnaryMethod(method, [], handler);
        }
    }
}
