using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Hosting;
using Resonance.Hosting.Dapr;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Api;

/// <summary>
/// Logic's internal API, called by gateways (commands on behalf of a user named in <c>resonance-user</c>)
/// and by task (members) through Dapr service invocation; only the sidecar may call it.
/// </summary>
public static class LogicEndpoints
{
    public static IEndpointRouteBuilder MapLogicEndpoints(this IEndpointRouteBuilder app)
    {
        // Behind the app API token like every route of logic (UseAppApiTokenOnEveryRoute).
        var api = app.MapGroup(string.Empty).AddEndpointFilter<ResonanceProblemFilter>();

        api.MapPost(InternalRoutes.CreateSession, async (HttpContext http, ISessionService sessions) =>
            ProtobufBody.Result(await sessions.CreateSessionAsync(UserOf(http), await ProtobufBody.ReadAsync<CreateSessionRequest>(http.Request), http.RequestAborted)));

        api.MapPost(InternalRoutes.ListSessions, async (HttpContext http, ISessionService sessions) =>
            ProtobufBody.Result(await sessions.ListSessionsAsync(UserOf(http), await ProtobufBody.ReadAsync<ListSessionsRequest>(http.Request), http.RequestAborted)));

        api.MapPost(InternalRoutes.AddMembers, async (HttpContext http, ISessionService sessions, string sessionId) =>
            ProtobufBody.Result(await sessions.AddMembersAsync(UserOf(http), sessionId, await ProtobufBody.ReadAsync<AddMembersRequest>(http.Request), http.RequestAborted)));

        api.MapGet(InternalRoutes.Members, async (HttpContext http, ISessionService sessions, string sessionId) =>
            ProtobufBody.Result(await sessions.GetMembersAsync(sessionId, http.RequestAborted)));

        api.MapPost(InternalRoutes.Send, async (HttpContext http, ISessionService sessions) =>
            ProtobufBody.Result(await sessions.SendAsync(UserOf(http), await ProtobufBody.ReadAsync<SendCommand>(http.Request), http.RequestAborted)));

        api.MapPost(InternalRoutes.SendMany, async (HttpContext http, ISessionService sessions) =>
            ProtobufBody.Result(await sessions.SendManyAsync(UserOf(http), await ProtobufBody.ReadAsync<SendManyCommand>(http.Request), http.RequestAborted)));

        api.MapPost(InternalRoutes.Sync, async (HttpContext http, ISessionService sessions) =>
            ProtobufBody.Result(await sessions.SyncAsync(UserOf(http), await ProtobufBody.ReadAsync<SyncCommand>(http.Request), http.RequestAborted)));

        return app;
    }

    private static string UserOf(HttpContext http)
    {
        var user = http.Request.Headers[DaprNames.UserHeader].ToString();
        return Usernames.IsValid(user) ? user : throw new ResonanceException(ErrorCodes.InvalidArgument, $"the {DaprNames.UserHeader} header must name a valid user");
    }
}
