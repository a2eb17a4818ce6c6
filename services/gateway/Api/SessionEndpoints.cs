using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Resonance.Contracts.V1;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Api;

/// <summary>REST over the same commands as the socket: sessions, members, history.</summary>
public static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").RequireAuthorization();

        sessions.MapPost("/", async (HttpContext http, ILogicClient logic) =>
        {
            var request = await ProtobufJsonBody.ReadAsync<CreateSessionRequest>(http.Request);
            var created = await logic.CreateSessionAsync(UsernameOf(http), request, http.RequestAborted);
            return new ProtobufJsonResult(created, StatusCodes.Status201Created);
        }).RequireSessionCreationLimit();

        sessions.MapGet("/", async (HttpContext http, ILogicClient logic, string? afterSessionId, int? limit) =>
        {
            var page = new ListSessionsRequest { AfterSessionId = afterSessionId ?? string.Empty, Limit = limit ?? 0 };
            return new ProtobufJsonResult(await logic.ListSessionsAsync(UsernameOf(http), page, http.RequestAborted));
        });

        sessions.MapGet("/{sessionId}/messages", async (HttpContext http, ILogicClient logic, string sessionId, long? afterSeq, int? limit) =>
        {
            var sync = new SyncCommand { SessionId = sessionId, AfterSeq = afterSeq ?? 0, Limit = limit ?? 0 };
            return new ProtobufJsonResult(await logic.SyncAsync(UsernameOf(http), sync, http.RequestAborted));
        });

        sessions.MapPost("/{sessionId}/members", async (HttpContext http, ILogicClient logic, string sessionId) =>
        {
            var request = await ProtobufJsonBody.ReadAsync<AddMembersRequest>(http.Request);
            return new ProtobufJsonResult(await logic.AddMembersAsync(UsernameOf(http), sessionId, request, http.RequestAborted));
        });

        return api;
    }

    internal static string UsernameOf(HttpContext http) => http.User.Identity!.Name!;
}
