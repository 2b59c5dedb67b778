using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Phases;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Processes;

public static partial class ProcessesApi
{
    public static IEndpointRouteBuilder MapProcessesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processes").WithTags("Processes");
        group.MapGet("/", List).AllowAnonymous();
        group.MapGet("/{processId:guid}", Get).AllowAnonymous();
        group.MapPost("/", Create).RequireAuthorization(AuthPolicies.Staff);
        group.MapPut("/{processId:guid}", Update).RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("/{processId:guid}/publish", Publish).RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("/{processId:guid}/archive", Archive).RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ProcessSummary>>> List(ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var processes = await db.Processes.AsNoTracking().VisibleTo(db, user).Include(p => p.Phases)
            .OrderByDescending(p => p.Status == ProcessStatus.Published).ThenByDescending(p => p.StartsOn).ThenBy(p => p.Title)
            .ToListAsync(ct);
        var hidden = await db.HiddenPhaseIds(user).ToHashSetAsync(ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<ProcessSummary>>(processes.Select(p => new ProcessSummary(p.Id, p.Title, p.City, p.StartsOn, p.EndsOn,
            p.Status, p.PublishedAt, PhaseResponses.Ordered(p.Phases.Where(x => !hidden.Contains(x.Id)), now).FirstOrDefault(x => x.IsCurrent), p.Visibility)).ToList());
    }

    private static async Task<Results<Ok<ProcessResponse>, ProblemHttpResult>> Get(
        Guid processId, ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var process = await LoadFullAsync(db, processId, ct);
        if (process is null || !await db.CanSeeAsync(user, process, ct))
        {
            return Problems.NotFound("The process does not exist.");
        }
        var hidden = await db.HiddenPhaseIds(user).Where(id => db.Phases.Any(p => p.Id == id && p.ProcessId == processId)).ToListAsync(ct);
        process.Phases.RemoveAll(p => hidden.Contains(p.Id));
        return TypedResults.Ok(ProcessResponses.From(process, clock.GetUtcNow()));
    }

    private static async Task<Results<Created<ProcessResponse>, ProblemHttpResult>> Create(
        ProcessRequest request, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var process = new Process { Id = Guid.CreateVersion7(), Title = "", Description = "", City = "", Status = ProcessStatus.Draft, CreatedAt = now };
        if (Apply(process, request with { ItemStatuses = request.ItemStatuses ?? DefaultItemStatuses.All }, now) is { } invalid)
        {
            return invalid;
        }
        if (request.Visibility is { } visibility)
        {
            if (!ProcessVisibilities.All.Contains(visibility))
            {
                return Problems.Invalid("visibility", "Sichtbarkeit: public (öffentlich), members (nur Mitglieder) oder internal (nur Verwaltung).");
            }
            process.Visibility = visibility;
        }
        db.Processes.Add(process);
        // Born with its visibility: no other service ever holds this process without knowing who may see it.
        db.AddOutboxMessage(new ProcessVisibilityChanged(process.Id, process.Visibility, [], now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/processes/{process.Id}", ProcessResponses.From(process, now));
    }

    private static async Task<Results<Ok<ProcessResponse>, ProblemHttpResult>> Update(
        Guid processId, ProcessRequest request, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        var process = await LoadFullAsync(db, processId, ct, tracking: true);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived and can no longer change.", "process-archived");
        }
        if (request.ItemStatuses is { } statuses)
        {
            var kept = statuses.Select(s => s.Key).ToHashSet();
            var inUse = await db.Items.Where(i => i.ProcessId == processId && !kept.Contains(i.Status))
                .Select(i => i.Status).Distinct().ToListAsync(ct);
            if (inUse.Count > 0)
            {
                return Problems.Conflict($"Items still have the status(es) {string.Join(", ", inUse)}; give them another status first.", "status-in-use");
            }
        }
        var now = clock.GetUtcNow();
        var unconfirmedMayCommentBefore = process.UnconfirmedAccountsMayComment;
        if (Apply(process, request, now) is { } invalid)
        {
            return invalid;
        }
        if (process.Status == ProcessStatus.Published && process.UnconfirmedAccountsMayComment != unconfirmedMayCommentBefore)
        {
            // Saved with the change (one SaveChanges, one transaction), so Comments learns every change.
            db.AddOutboxMessage(new ProcessCommentingRulesChanged(process.Id, process.UnconfirmedAccountsMayComment, now));
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ProcessResponses.From(process, now));
    }

    private static async Task<Results<Ok<ProcessResponse>, ProblemHttpResult>> Publish(
        Guid processId, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ProcessLifecycle.PublishAsync(db, processId, clock, ct);
        return await AfterLifecycleAsync(outcome, "Only a draft can be published.", processId, db, clock, ct);
    }

    private static async Task<Results<Ok<ProcessResponse>, ProblemHttpResult>> Archive(
        Guid processId, ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ProcessLifecycle.ArchiveAsync(db, processId, clock, ct);
        return await AfterLifecycleAsync(outcome, "Only a published process can be archived.", processId, db, clock, ct);
    }

    private static async Task<Results<Ok<ProcessResponse>, ProblemHttpResult>> AfterLifecycleAsync(LifecycleOutcome outcome, string wrongState,
        Guid processId, ProposalsDb db, TimeProvider clock, CancellationToken ct) => outcome switch
    {
        LifecycleOutcome.NotFound => Problems.NotFound("The process does not exist."),
        LifecycleOutcome.WrongState => Problems.Conflict(wrongState, "wrong-state"),
        _ => TypedResults.Ok(ProcessResponses.From((await LoadFullAsync(db, processId, ct))!, clock.GetUtcNow())),
    };

    internal static Task<Process?> LoadFullAsync(ProposalsDb db, Guid processId, CancellationToken ct, bool tracking = false)
    {
        var query = db.Processes.Include(p => p.Phases).Include(p => p.FieldsOfAction).Include(p => p.Themes).Include(p => p.ItemStatuses)
            .AsSplitQuery();
        return (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(p => p.Id == processId, ct);
    }

    /// <summary>Validates and copies the request; used for create (statuses always given) and update (null keeps them).</summary>
    internal static ProblemHttpResult? Apply(Process process, ProcessRequest request, DateTimeOffset now)
    {
        var v = new Validator();
        var title = v.Text(request.Title, "title", 200);
        var description = v.Text(request.Description, "description", 20_000, required: false);
        var city = v.Text(request.City, "city", 100);
        v.Check(request.StartsOn is null || request.EndsOn is null || request.EndsOn >= request.StartsOn, "endsOn", "Must not be before startsOn.");
        if (request.ItemStatuses is { } statuses)
        {
            v.Check(statuses.Count is >= 1 and <= 20, "itemStatuses", "Between 1 and 20 statuses.");
            foreach (var s in statuses)
            {
                v.Check(StatusKey().IsMatch(s.Key ?? ""), "itemStatuses", $"'{s.Key}' is not a valid key (lower-case letters, digits, '-').");
                v.Check(!string.IsNullOrWhiteSpace(s.Label) && s.Label.Trim().Length <= 100, "itemStatuses", $"The label of '{s.Key}' must have 1 to 100 characters.");
            }
            v.Check(statuses.Select(s => s.Key).Distinct().Count() == statuses.Count, "itemStatuses", "Keys must be unique.");
        }
        if (v.Failed)
        {
            return v.Problem();
        }
        process.Title = title;
        process.Description = description;
        process.City = city;
        process.StartsOn = request.StartsOn;
        process.EndsOn = request.EndsOn;
        process.UpdatedAt = now;
        if (request.UnconfirmedAccountsMayComment is { } unconfirmedMayComment)
        {
            process.UnconfirmedAccountsMayComment = unconfirmedMayComment;
        }
        if (request.ItemStatuses is { } newStatuses)
        {
            // Update in place: a removed and re-added row with the same key would collide in the change tracker.
            process.ItemStatuses.RemoveAll(existing => newStatuses.All(s => s.Key != existing.Key));
            for (var i = 0; i < newStatuses.Count; i++)
            {
                var wanted = newStatuses[i];
                var option = process.ItemStatuses.FirstOrDefault(o => o.Key == wanted.Key);
                if (option is null)
                {
                    process.ItemStatuses.Add(option = new ItemStatusOption { ProcessId = process.Id, Key = wanted.Key, Label = "" });
                }
                option.Label = wanted.Label.Trim();
                option.Position = i + 1;
            }
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex StatusKey();
}
