using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Data;

/// <summary>
/// The first administrator of a new installation: with <c>Identity:BootstrapAdmin:Email</c> and <c>:Password</c>
/// set and no account of that address yet, it is created with a confirmed address and the admin role. Nothing
/// happens when either value is missing or the account exists (a changed password is not overwritten).
/// </summary>
public sealed class BootstrapAdmin(IServiceScopeFactory scopes, IOptions<BootstrapAdminOptions> options, TimeProvider time, ILogger<BootstrapAdmin> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (email, password) = (options.Value.Email, options.Value.Password);
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

/// <summary>Section Identity:BootstrapAdmin: both values or neither (one alone would silently create no administrator).</summary>
public sealed class BootstrapAdminOptions
{
    public const string Section = "Identity:BootstrapAdmin";

    public string? Email { get; set; }

    public string? Password { get; set; }

    public static OptionsBuilder<BootstrapAdminOptions> Add(IServiceCollection services) =>
        services.AddOptions<BootstrapAdminOptions>().BindConfiguration(Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.Email) == string.IsNullOrWhiteSpace(o.Password),
                "Identity:BootstrapAdmin:Email and Identity:BootstrapAdmin:Password must be set together (or both left empty).")
            .Validate(o => string.IsNullOrWhiteSpace(o.Email) || o.Email.Contains('@', StringComparison.Ordinal),
                "Identity:BootstrapAdmin:Email must be a mail address.")
            .ValidateOnStart();
}
