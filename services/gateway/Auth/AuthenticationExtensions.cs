using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Resonance.Contracts;
using Resonance.Hosting;

namespace Resonance.Gateway.Auth;

public static class AuthenticationExtensions
{
    /// <summary>JWT bearer authentication; the token may also come as <c>?access_token=</c> on <c>/ws</c>, where browsers cannot set headers.</summary>
    public static IServiceCollection AddGatewayAuthentication(this IServiceCollection services)
    {
        services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<DevTokenIssuer>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningKeyProvider>((jwt, auth, keys) => Configure(jwt, auth.Value, keys));
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayClaims.AdminPolicy, policy => policy.RequireRole(GatewayClaims.AdminRole));
        return services;
    }

    /// <summary>
    /// The username and expiry of a validated token, as a principal of their own. The validated one refers to the
    /// token itself (its text, its parsed header and payload, a claim per entry): about 3 KB an idle socket would hold.
    /// </summary>
    internal static ClaimsPrincipal SocketPrincipal(ClaimsPrincipal validated)
    {
        var identity = (ClaimsIdentity)validated.Identity!;
        var kept = new ClaimsIdentity(identity.AuthenticationType, GatewayClaims.Username, GatewayClaims.Role);
        foreach (var claim in identity.Claims)
        {
            if (claim.Type is GatewayClaims.Username or GatewayClaims.Expiry or GatewayClaims.Role)
            {
                kept.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer));
            }
        }

        return new ClaimsPrincipal(kept);
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, SigningKeyProvider keys)
    {
        jwt.MapInboundClaims = false;

        // Nothing reads the token back from the ticket; saved, a socket would hold its text for the connection's life.
        jwt.SaveToken = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            NameClaimType = GatewayClaims.Username,
            RoleClaimType = GatewayClaims.Role,
            ClockSkew = auth.ClockSkew,
        };
        if (string.IsNullOrEmpty(auth.Authority))
        {
            jwt.TokenValidationParameters.IssuerSigningKey = keys.Key;
        }
        else
        {
            jwt.Authority = auth.Authority;
        }

        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (string.IsNullOrEmpty(context.Token) && context.Request.Path.StartsWithSegments("/ws")
                    && context.Request.Query.TryGetValue("access_token", out var token))
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                if (!Usernames.IsValid(context.Principal?.Identity?.Name))
                {
                    context.Fail("The token's sub claim is not a valid username.");
                }
                else if (context.Request.Path.StartsWithSegments("/ws"))
                {
                    // A socket's request lasts as long as the connection: keep what it uses, not the parsed token.
                    context.Principal = SocketPrincipal(context.Principal!);
                }

                return Task.CompletedTask;
            },
        };
    }
}
