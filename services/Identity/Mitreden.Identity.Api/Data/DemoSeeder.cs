using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Data;

/// <summary>With Demo:Seed=true and no users yet: the four demo accounts of DEMO_IDS.md (fixed ids, confirmed).</summary>
public sealed class DemoSeeder(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string Password = "Demo-Passwort-2026!";

    private static readonly (Guid Id, string Email, string Role, string DisplayName, string? District)[] Users =
    [
        (Guid.Parse("11111111-0000-0000-0000-000000000001"), "buerger@demo.mitreden.de", Roles.Citizen, "Bürgerin Demo", "mitte"),
        (Guid.Parse("11111111-0000-0000-0000-000000000002"), "moderation@demo.mitreden.de", Roles.Moderator, "Moderation Demo", null),
        (Guid.Parse("11111111-0000-0000-0000-000000000003"), "stadt@demo.mitreden.de", Roles.Staff, "Stadtverwaltung Demo", null),
        (Guid.Parse("11111111-0000-0000-0000-000000000004"), "admin@demo.mitreden.de", Roles.Admin, "Admin Demo", null),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MitredenUser>>();
        var now = time.GetUtcNow();
        foreach (var (id, email, role, displayName, district) in Users)
        {
            var user = new MitredenUser
            {
                Id = id,
                UserName = id.ToString("N"),
                Email = email,
                EmailConfirmed = true,
                DisplayName = displayName,
                CreatedAt = now,
                ResidentDistrict = district,
                ResidentSince = district is null ? null : now,
            };
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = id, RoleId = SeededRoles.IdOf(role) });
            db.AddOutboxMessage(new UserRegistered(id, displayName, now));
            db.AddOutboxMessage(new UserVerified(id, user.Verification, district, now));
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Demo seed failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
            }
        }
        logger.LogInformation("Seeded {Count} demo accounts", Users.Length);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
