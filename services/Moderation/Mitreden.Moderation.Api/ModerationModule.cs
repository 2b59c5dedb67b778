using MassTransit;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Data;

namespace Mitreden.Moderation.Api;

public static class ModerationModule
{
    public static WebApplicationBuilder AddModeration(this WebApplicationBuilder builder)
    {
        builder.AddMitredenDatabase<ModerationDb>();
        builder.AddMitredenRedis();
        builder.AddMitredenBus(bus =>
        {
            bus.AddConsumers(typeof(ModerationModule).Assembly);
            // A deleted moderator's token is refused at once, a blocked one's for every change (as in Voting, Proposals).
            bus.AddRefusedSubjects<ModerationDb>();
        });

        builder.Services.AddOptions<ModerationOptions>()
            .Bind(builder.Configuration.GetSection(ModerationOptions.Section))
            .Validate(o => o.ReportThreshold >= 1, "Moderation:ReportThreshold must be at least 1.")
            .Validate(o => o.Screening.ToRules().Validate().Count == 0, "Moderation:Screening holds invalid rules.")
            .ValidateOnStart();
        builder.Services.AddScoped<ScreeningRulesStore>();
        builder.Services.AddScoped<CommentScreening>();
        return builder;
    }
}
