using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Auth;

namespace Resonance.Gateway.Api;

public static class DevTokenEndpoints
{
    /// <summary>
    /// <c>POST /dev/token</c>: a signed token for any valid username, when <see cref="AuthOptions.EnableDevTokens"/> is on;
    /// with the admin role only when <see cref="AuthOptions.AllowDevAdminTokens"/> is on too (403 otherwise).
    /// </summary>
    public static RouteGroupBuilder MapDevTokenEndpoint(this RouteGroupBuilder api)
    {
        api.MapPost("/dev/token", async (HttpContext http, DevTokenIssuer issuer, IOptions<AuthOptions> auth) =>
        {
            if (!auth.Value.EnableDevTokens)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dev tokens are disabled",
                    detail: "Set Auth:EnableDevTokens=true (development only) or use tokens from your issuer.");
            }

            var request = await ProtobufJsonBody.ReadAsync<DevTokenRequest>(http.Request);
            if (!Usernames.IsValid(request.Username))
            {
                throw new ResonanceException(ErrorCodes.InvalidArgument,
                    $"username must be 1 to {Usernames.MaxLength} letters, digits, '_', '.' or '-', starting with a letter or digit");
            }

            if (!auth.Value.AllowDevAdminTokens && request.Roles.Any(role => string.Equals(role, GatewayClaims.AdminRole, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ResonanceException(ErrorCodes.Forbidden,
                    "dev tokens do not carry the admin role unless Auth:AllowDevAdminTokens is on (development only)");
            }

            return new ProtobufJsonResult(new DevTokenResponse { Token = issuer.Issue(request.Username, request.Roles) });
        }).AllowAnonymous();
        return api;
    }
}
