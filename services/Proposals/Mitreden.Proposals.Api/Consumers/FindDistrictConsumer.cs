using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Api.Consumers;

/// <summary>Answers whether a district slug exists (in any city of this installation). Read-only, so no dedup record.</summary>
public sealed class FindDistrictConsumer(ProposalsDb db) : IConsumer<FindDistrict>
{
    public async Task Consume(ConsumeContext<FindDistrict> context)
    {
        var slug = context.Message.Slug;
        var name = await db.Districts.AsNoTracking().Where(d => d.Slug == slug).OrderBy(d => d.City)
            .Select(d => d.Name).FirstOrDefaultAsync(context.CancellationToken);
        await context.RespondAsync(new DistrictLookup(slug, name is not null, name));
    }
}
