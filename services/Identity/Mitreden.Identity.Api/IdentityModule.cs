using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Account;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.Keys;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.Identity.Api.Features.Notifications;
using Mitreden.Identity.Api.Features.SignIn;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Data;

namespace Mitreden.Identity.Api;

public static class IdentityModule
{
    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder)
    {
        builder.AddMitredenDatabase<IdentityDb>();
        builder.AddMitredenRedis();
        builder.AddMitredenBus(bus =>
        {
            bus.AddConsumers(typeof(IdentityModule).Assembly);
            bus.AddRequestClient<Mitreden.Proposals.Contracts.FindDistrict>(RequestTimeout.After(s: 5));
        });

        var services = builder.Services;
        IdentitySettings.Add(services);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IdentitySettings>>().Value);
        // The token server's lifetimes, the test-voter grant and the key rollover are the composition's own decisions,
        // read once here; the start stops on a wrong value (ValidateOnStart), and everything else takes the checked options.
        var settings = builder.Configuration.GetSection(IdentitySettings.SectionName).Get<IdentitySettings>() ?? new IdentitySettings();
        var secrets = IdentitySecrets.Load(builder.Configuration);
        services.AddSingleton(secrets);
        var keys = SigningKeys.Load(builder.Configuration, settings, TimeProvider.System);
        services.AddTokenServer(builder.Configuration, settings, secrets, keys);
        services.AddHostedService<SigningKeysServing>();
        // Identity validates its own tokens with the keys it publishes, not through its own discovery document.
        services.AddOptions<JwtBearerOptions>(AuthExtensions.SchemeName).Configure<AuthSettings>((o, auth) =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = auth.Issuer };
            foreach (var key in keys.ValidationKeys)
            {
                configuration.SigningKeys.Add(key);
            }
            o.Configuration = configuration;
        });

        services.AddIdentityCore<MitredenUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                // Only the password re-check of a signed-in account (deleting it) uses this lockout: a caller there already
                // holds the account's token. Sign-in locks per account and client address instead (AttemptLimits), so a
                // stranger cannot keep the owner out.
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Tokens.EmailConfirmationTokenProvider = AccountTokenProvider.ProviderName;
                o.Tokens.PasswordResetTokenProvider = AccountTokenProvider.ProviderName;
                o.Tokens.ChangeEmailTokenProvider = AccountTokenProvider.ProviderName;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityDb>()
            .AddTokenProvider<AccountTokenProvider>(AccountTokenProvider.ProviderName);

        services.AddSingleton<FailureLimiter>();
        AttemptLimits.Add(services);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AttemptLimits>>().Value);
        services.AddSingleton<AttemptGuard>();
        services.AddScoped<AccountActions>();

        MailSettings.Add(services);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MailSettings>>().Value);
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<MailSettings>() is var mail && string.IsNullOrWhiteSpace(mail.Smtp.Host)
            ? new PickupDirectoryMailSender(mail)
            : new SmtpMailSender(mail));
        services.AddSingleton<MailQueue>();
        services.AddHostedService<MailDispatcher>();
        NotificationOptions.Add(services);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NotificationOptions>>().Value);
        services.AddSingleton<UnsubscribeTokens>();
        services.AddScoped<Notifier>();
        services.AddHostedService<NotificationSender>();
        services.AddScoped<EventCopy>();
        services.AddSingleton<EventReminderJob>();
        services.AddHostedService(sp => sp.GetRequiredService<EventReminderJob>());
        services.AddOptions<NotificationCleanupOptions>().BindConfiguration(NotificationCleanupOptions.Section)
            .Validate(NotificationCleanupOptions.IsValid, NotificationCleanupOptions.Rule).ValidateOnStart();
        services.AddSingleton<NotificationCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationCleanup>());

        builder.AddSignInPages();

        services.AddHostedService<DemoSeeder>();
        BootstrapAdminOptions.Add(services);
        services.AddHostedService<BootstrapAdmin>();
        return builder;
    }
}
