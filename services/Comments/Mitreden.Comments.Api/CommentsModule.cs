using MassTransit;
using Mitreden.Comments.Api.Data;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Data;

namespace Mitreden.Comments.Api;

public static class CommentsModule
{
    public static WebApplicationBuilder AddComments(this WebApplicationBuilder builder)
    {
        builder.AddMitredenDatabase<CommentsDb>();
        builder.AddMitredenRedis();
        builder.AddMitredenBus(bus => bus.AddConsumers(typeof(CommentsModule).Assembly));

        builder.Services.AddOptions<CommentsOptions>()
            .Bind(builder.Configuration.GetSection(CommentsOptions.Section))
            .Validate(o => o.EditWindow >= TimeSpan.Zero, "Comments:EditWindow must not be negative.")
            .Validate(o => o.RepliesPreview is >= 0 and <= CommentsOptions.MaxPageSize, "Comments:RepliesPreview must be 0..100.")
            .Validate(o => o.DefaultPageSize is >= 1 and <= CommentsOptions.MaxPageSize, "Comments:DefaultPageSize must be 1..100.")
            .ValidateOnStart();
        builder.Services.AddHostedService<DemoSeed>();
        return builder;
    }
}
