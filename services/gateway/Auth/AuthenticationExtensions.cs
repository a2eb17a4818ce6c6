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

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, SigningKeyProvider keys)
    {
        jwt.MapInboundClaims = false;
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

                return Task.CompletedTask;
            },
        };
    }
}
