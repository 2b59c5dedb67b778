using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Data;

/// <summary>
/// The first administrator of a new installation: with <c>Identity:BootstrapAdmin:Email</c> and <c>:Password</c>
/// set and no account of that address yet, it is created with a confirmed address and the admin role. Nothing
/// happens when either value is missing or the account exists (a changed password is not overwritten).
/// </summary>
public sealed class BootstrapAdmin(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<BootstrapAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Identity:BootstrapAdmin:Email"];
        var password = configuration["Identity:BootstrapAdmin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MitredenUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        var now = time.GetUtcNow();
        var id = Guid.NewGuid();
        var user = new MitredenUser
        {
            Id = id,
            UserName = id.ToString("N"),
            Email = email,
            EmailConfirmed = true,
            DisplayName = "Administration",
            CreatedAt = now,
        };
        db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = id, RoleId = SeededRoles.IdOf(Roles.Admin) });
        db.AddOutboxMessage(new UserRegistered(id, user.DisplayName, now));
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Bootstrap admin could not be created: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        }
        logger.LogInformation("Created the bootstrap administrator {UserId}", id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
