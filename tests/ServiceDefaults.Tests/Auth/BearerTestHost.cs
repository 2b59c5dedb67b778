using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>
/// A small app with the bearer scheme as every component registers it (<see cref="AuthExtensions.AddMitredenAuthentication"/>)
/// and endpoints behind each policy, validating against a <see cref="FakeIdentity"/> on a loopback port.
/// </summary>
internal sealed class BearerTestHost : IAsyncDisposable
{
    private BearerTestHost(FakeIdentity identity, WebApplication app)
    {
        Identity = identity;
        App = app;
        Client = app.GetTestClient();
    }

    public FakeIdentity Identity { get; }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>The options the bearer scheme runs with (rules, keys, key refresh).</summary>
    public JwtBearerOptions Bearer => App.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(AuthExtensions.SchemeName);

    public static async Task<BearerTestHost> StartAsync(TestTokens tokens, string jwks)
    {
        var identity = await FakeIdentity.StartAsync(tokens.Issuer, jwks);
        return new BearerTestHost(identity, await StartAppAsync(tokens, addProblemDetails: false, identity.MetadataAddress));
    }

    public static async Task<WebApplication> StartAppAsync(TestTokens tokens, bool addProblemDetails, string metadataAddress)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = tokens.Issuer,
            ["Auth:Audience"] = tokens.Audience,
            ["Auth:MetadataAddress"] = metadataAddress,
        });
        if (addProblemDetails)
        {
            builder.Services.AddProblemDetails();
        }

        builder.Services.AddMitredenAuthentication(builder.Configuration);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/anonymous", (ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? "user" : "anonymous");
        app.MapGet("/me", (ClaimsPrincipal user) => user.UserId().ToString()).RequireAuthorization(AuthPolicies.Citizen);
        app.MapGet("/claims", (ClaimsPrincipal user) => Results.Json(new
        {
            userId = user.UserId(),
            name = user.Identity!.Name,
            roles = user.FindAll(MitredenClaimTypes.Roles).Select(c => c.Value).ToArray(),
            isModerator = user.IsInRole(MitredenRoles.Moderator),
            verification = user.Verification(),
            district = user.District(),
            votingGroup = user.VotingGroup(),
            blockedUntil = user.BlockedUntil(DateTimeOffset.UtcNow),
            issuedAt = user.IssuedAt(),
        })).RequireAuthorization();
        app.MapGet("/vote", () => "ok").RequireAuthorization(AuthPolicies.Voter);
        app.MapGet("/any", () => "ok").RequireAuthorization();
        app.MapGet("/moderation", () => "ok").RequireAuthorization(AuthPolicies.Moderator);
        app.MapGet("/staff", () => "ok").RequireAuthorization(AuthPolicies.Staff);
        app.MapGet("/admin", () => "ok").RequireAuthorization(AuthPolicies.Admin);
        app.MapGet("/internal", (ClaimsPrincipal user) => user.ClientId() ?? "service").RequireAuthorization(AuthPolicies.Service);
        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
