using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Screening;

public static class RuleSources
{
    public const string Process = "process";
    public const string Global = "global";
    public const string Configuration = "configuration";
}

/// <param name="Source">Where the rules come from: the process's own rules, the global ones, or configuration.</param>
public sealed record EffectiveScreeningRules(ScreeningRules Rules, string Source, DateTimeOffset? UpdatedAt, Guid? UpdatedBy);

/// <summary>Finds the rules that apply: a process's own, else the global ones staff stored, else configuration.</summary>
public sealed class ScreeningRulesStore(ModerationDb db, IOptionsMonitor<ModerationOptions> options)
{
    public async Task<EffectiveScreeningRules> ForProcessAsync(Guid? processId, CancellationToken ct)
    {
        var rows = await db.ScreeningRules.AsNoTracking()
            .Where(r => r.ProcessId == null || r.ProcessId == processId)
            .ToListAsync(ct);
        var own = processId is null ? null : rows.FirstOrDefault(r => r.ProcessId == processId);
        var global = rows.FirstOrDefault(r => r.ProcessId == null);
        return (own, global) switch
        {
            ({ } row, _) => new(ScreeningRulesChecks.FromJson(row.Rules), RuleSources.Process, row.UpdatedAt, row.UpdatedBy),
            (null, { } row) => new(ScreeningRulesChecks.FromJson(row.Rules), RuleSources.Global, row.UpdatedAt, row.UpdatedBy),
            _ => new(options.CurrentValue.Screening.ToRules(), RuleSources.Configuration, null, null),
        };
    }
}
