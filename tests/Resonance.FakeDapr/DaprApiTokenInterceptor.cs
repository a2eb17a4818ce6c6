using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Resonance.FakeDapr;

/// <summary>
/// With <c>DAPR_API_TOKEN</c> set, daprd refuses every gRPC call whose <c>dapr-api-token</c> metadata differs:
/// UNAUTHENTICATED "authentication error: api token mismatch" (dapr/dapr pkg/api/grpc/auth.go).
/// </summary>
internal sealed class DaprApiTokenInterceptor(DaprGrpcService service) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var expected = service.Sidecar.DaprApiToken;
        if (expected is not null && context.RequestHeaders.GetValue(FakeSidecar.DaprApiTokenHeader) != expected)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authentication error: api token mismatch"));
        }

        return continuation(request, context);
    }
}
