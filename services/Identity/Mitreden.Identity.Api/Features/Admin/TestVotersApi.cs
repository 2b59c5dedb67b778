using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Api.Features.Residency;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Features.Admin;

/// <summary>
/// Load-test support: creates confirmed citizen accounts, verified residents of one district, and returns access
/// tokens for them. Exists only with Identity:AllowTestVoters=true (otherwise 404). The accounts have no password and
/// their tokens skip the token endpoint (no hash, no token row): bench's ~140,000 voters take seconds, not an hour. Their
/// tokens live up to 60 minutes (a load run must not refresh), the one exception to the 5-minute limit, test stacks only.
/// </summary>
public static class TestVotersApi
{
    public const int MaxCount = 5000;

    public static IEndpointRouteBuilder MapTestVotersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/test-voters", CreateAsync).WithTags("Load tests").RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    public sealed record CreateTestVotersRequest(int Count, string District, int? LifetimeMinutes = null);

    public sealed record TestVoter(Guid UserId, string AccessToken);

    public sealed record TestVotersResponse(string District, int ExpiresIn, IReadOnlyList<TestVoter> Voters);

    private static async Task<Results<Ok<TestVotersResponse>, NotFound, ProblemHttpResult>> CreateAsync(CreateTestVotersRequest request,
        HttpContext http, IdentityDb db, IdentitySettings settings, DirectAccessTokens tokens, TimeProvider time, CancellationToken ct)
    {
        if (!settings.AllowTestVoters)
        {
            return TypedResults.NotFound();
        }
        var lifetime = TimeSpan.FromMinutes(request.LifetimeMinutes ?? 60);
        if (request.Count is < 1 or > MaxCount || !LetterCodesApi.IsDistrictSlug(request.District)
            || lifetime <= TimeSpan.Zero || lifetime > SigningKeyLifetimeLimit)
        {
            return TypedResults.Problem(statusCode: 422, title: "Invalid request",
                detail: $"count must be 1..{MaxCount}, district a slug, lifetimeMinutes 1..60.");
        }

        var now = time.GetUtcNow();
        var citizenRole = SeededRoles.IdOf(Roles.Citizen);
        var users = new List<MitredenUser>(request.Count);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < request.Count; i++)
        {
            var id = Guid.CreateVersion7();
            var email = $"testvoter-{id:N}@test.invalid";
            var user = new MitredenUser
            {
                Id = id,
                UserName = id.ToString("N"),
                NormalizedUserName = id.ToString("N").ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = $"Testperson {i + 1}",
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                LockoutEnabled = true,
                ResidentDistrict = request.District,
                ResidentSince = now,
                CreatedAt = now,
            };
            users.Add(user);
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = id, RoleId = citizenRole });
            db.AddOutboxMessage(new UserRegistered(id, user.DisplayName, now));
            db.AddOutboxMessage(new UserVerified(id, VerificationLevels.Resident, request.District, now));
        }
        AuditLog.Add(db, http.User.UserId(), AuditActions.TestVotersCreated, AuditTargets.User, "test-voters",
            new { count = request.Count, district = request.District }, now);
        await db.SaveChangesAsync(ct);

        var voters = new TestVoter[users.Count];
        Parallel.For(0, users.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var user = users[i];
            var token = tokens.Issue(new TokenClaims
            {
                Subject = user.Id.ToString(),
                Roles = [Roles.Citizen],
                Verification = VerificationLevels.Resident,
                District = request.District,
                Name = user.DisplayName,
                ClientId = Clients.WebClientId,
            }, lifetime);
            voters[i] = new TestVoter(user.Id, token.AccessToken);
        });
        return TypedResults.Ok(new TestVotersResponse(request.District, (int)lifetime.TotalSeconds, voters));
    }

    private static readonly TimeSpan SigningKeyLifetimeLimit = TimeSpan.FromMinutes(60);
}
