using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Locations;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Contracts;

namespace Mitreden.Proposals.Api.Features.Items;

public static class ItemsApi
{
    public static IEndpointRouteBuilder MapItemsApi(this IEndpointRouteBuilder app)
    {
        var byProcess = app.MapGroup("/processes/{processId:guid}/items").WithTags("Items");
        byProcess.MapGet("/", List).AllowAnonymous();
        // Any signed-in user: staff create official items, citizens their ideas (checked inside).
        byProcess.MapPost("/", Create).RequireAuthorization(AuthPolicies.Citizen);

        var items = app.MapGroup("/items").WithTags("Items");
        items.MapGet("/{itemId:guid}", Get).AllowAnonymous();
        // Staff edit any item; a citizen only their own idea until it is answered (checked inside).
        items.MapPut("/{itemId:guid}", Update).RequireAuthorization(AuthPolicies.Citizen);
        items.MapPut("/{itemId:guid}/status", SetStatus).RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<Results<Ok<ItemPage>, ProblemHttpResult>> List(Guid processId, [AsParameters] ItemQuery query,
        ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var result = await ItemListing.RunAsync(db, process, query, user, ct);
        return result.Problem is { } problem ? problem : TypedResults.Ok(result.Page!);
    }

    private static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> Get(Guid itemId, ProposalsDb db, ClaimsPrincipal user,
        CancellationToken ct)
    {
        var item = await LoadAsync(db, itemId, tracking: false, ct);
        var process = item is null ? null : await db.FindVisibleAsync(item.ProcessId, user, ct);
        if (item is null || process is null || !await db.CanSeePhaseAsync(user, item.PhaseId, ct))
        {
            return Problems.NotFound("The item does not exist.");
        }
        return TypedResults.Ok(await RespondAsync(db, item, user, ct));
    }

    private static async Task<Results<Created<ItemResponse>, ProblemHttpResult>> Create(Guid processId, CreateItemRequest request,
        ProposalsDb db, CityAreas areas, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var process = await db.FindVisibleAsync(processId, user, ct);
        if (process is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived and takes no new items.", "process-archived");
        }
        var now = clock.GetUtcNow();
        var staff = user.IsStaff();
        string kind;
        if (staff)
        {
            if (request.Kind is null or ItemKinds.CitizenIdea)
            {
                return Problems.Invalid("kind", "Staff items are official: give vision, guiding-goal, measure or scenario.");
            }
            kind = request.Kind;
            if (await InvalidPhaseAsync(db, process.Id, request.PhaseId, ct) is { } badPhase)
            {
                return badPhase;
            }
        }
        else
        {
            if (request.Kind is not (null or ItemKinds.CitizenIdea))
            {
                return Problems.Forbidden("Only staff create official items; citizens propose citizen ideas.", "official-items-staff-only");
            }
            if (request.Priority is not null)
            {
                return Problems.Forbidden("Only staff set priorities.", "priority-staff-only");
            }
            kind = ItemKinds.CitizenIdea;
            if (request.PhaseId is not null)
            {
                return Problems.Forbidden("Only staff assign items to phases.", "phase-staff-only");
            }
            if (await ProposingBlockedAsync(db, process, now, ct) is { } closed)
            {
                return Problems.Conflict(closed, "proposing-closed");
            }
        }

        var catalog = await ProcessCatalog.LoadAsync(db, process, ct);
        var draft = new ItemDraft(kind, request.Title ?? "", request.Description ?? "", request.FieldOfActionIds ?? [], request.ThemeIds ?? [],
            request.District, request.ParentId, request.Priority, request.CostEstimate, request.Location);
        if (Invalid(ItemRules.Check(catalog, draft)) is { } invalid)
        {
            return invalid;
        }
        if (LocationRules.Check(request.Location, process.City, areas) is { } badLocation)
        {
            return badLocation;
        }
        var item = staff
            ? ItemRules.Create(catalog, draft, official: true, authorId: user.OptionalUserId(), authorName: null, now)
            : ItemRules.Create(catalog, draft, official: false, authorId: user.UserId(), authorName: user.DisplayName(), now);
        item.PhaseId = request.PhaseId;
        db.Items.Add(item);
        if (process.Status == ProcessStatus.Published)
        {
            ItemRules.Publish(db, item, now);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/items/{item.Id}", ItemResponses.From(item, catalog.Label, 0, default, user));
    }

    private static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> Update(Guid itemId, UpdateItemRequest request,
        ProposalsDb db, CityAreas areas, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var item = await LoadAsync(db, itemId, tracking: true, ct);
        var process = item is null ? null : await db.FindVisibleAsync(item.ProcessId, user, ct);
        if (item is null || process is null || !await db.CanSeePhaseAsync(user, item.PhaseId, ct))
        {
            return Problems.NotFound("The item does not exist.");
        }
        if (!user.IsStaff())
        {
            if (item.AuthorId != user.UserId() || item.Kind != ItemKinds.CitizenIdea)
            {
                return Problems.Forbidden("Only the author may edit a citizen idea (and staff any item).", "idea-author-only");
            }
            if (request.Priority != item.Priority)
            {
                return Problems.Forbidden("Only staff set priorities.", "priority-staff-only");
            }
            if (request.PhaseId is not null && request.PhaseId != item.PhaseId)
            {
                return Problems.Forbidden("Only staff assign items to phases.", "phase-staff-only");
            }
            if (item.AnsweredAt is not null)
            {
                return Problems.Conflict("The city has answered this idea; it can no longer be edited.", "idea-answered");
            }
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived and can no longer change.", "process-archived");
        }
        var catalog = await ProcessCatalog.LoadAsync(db, process, ct);
        var draft = new ItemDraft(item.Kind, request.Title ?? "", request.Description ?? "", request.FieldOfActionIds ?? [],
            request.ThemeIds ?? [], request.District, request.ParentId, request.Priority, request.CostEstimate, request.Location);
        if (Invalid(ItemRules.Check(catalog, draft, item.Id)) is { } invalid)
        {
            return invalid;
        }
        if (LocationRules.Check(request.Location, process.City, areas) is { } badLocation)
        {
            return badLocation;
        }
        if (await InvalidPhaseAsync(db, process.Id, request.PhaseId, ct) is { } badPhase)
        {
            return badPhase;
        }
        var now = clock.GetUtcNow();
        ItemRules.Apply(item, draft, now);
        item.PhaseId = request.PhaseId ?? item.PhaseId;
        ItemRules.AnnounceUpdate(db, item, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await RespondAsync(db, item, user, ct, catalog));
    }

    private static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> SetStatus(Guid itemId, ItemStatusRequest request,
        ProposalsDb db, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var item = await LoadAsync(db, itemId, tracking: true, ct);
        var process = item is null ? null : await db.Processes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == item.ProcessId, ct);
        if (item is null || process is null)
        {
            return Problems.NotFound("The item does not exist.");
        }
        if (process.Status == ProcessStatus.Archived)
        {
            return Problems.Conflict("The process is archived and can no longer change.", "process-archived");
        }
        var catalog = await ProcessCatalog.LoadAsync(db, process, ct);
        var v = new Validator();
        v.Check(catalog.Statuses.Any(s => s.Key == request.Status), "status",
            $"Must be one of this process's statuses: {string.Join(", ", catalog.Statuses.Select(s => s.Key))}.");
        var answer = v.OptionalText(request.PublicAnswer, "publicAnswer", 10_000);
        var note = v.OptionalText(request.InternalNote, "internalNote", 10_000);
        if (v.Failed)
        {
            return v.Problem();
        }
        ItemRules.SetStatus(db, catalog, item, request.Status, answer, note, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await RespondAsync(db, item, user, ct, catalog));
    }

    /// <summary>Why a citizen cannot propose now, or null when the current phase has proposing on.</summary>
    internal static async Task<string?> ProposingBlockedAsync(ProposalsDb db, Process process, DateTimeOffset now, CancellationToken ct)
    {
        if (process.Status != ProcessStatus.Published)
        {
            return "The process is not open for participation.";
        }
        var current = await db.Phases.AsNoTracking()
            .Where(p => p.ProcessId == process.Id && p.StartsAt <= now && now < p.EndsAt).FirstOrDefaultAsync(ct);
        return current switch
        {
            null => "No phase of this process is running now, so ideas cannot be proposed.",
            { Proposing: false } => $"The current phase '{current.Title}' does not accept citizen ideas.",
            _ => null,
        };
    }

    /// <summary>A phase given for an item must be one of the item's process.</summary>
    private static async Task<ProblemHttpResult?> InvalidPhaseAsync(ProposalsDb db, Guid processId, Guid? phaseId, CancellationToken ct) =>
        phaseId is { } id && !await db.Phases.AnyAsync(p => p.Id == id && p.ProcessId == processId, ct)
            ? Problems.Invalid("phaseId", "Diese Phase gehört nicht zum Prozess.", language: "de")
            : null;

    internal static Task<Item?> LoadAsync(ProposalsDb db, Guid itemId, bool tracking, CancellationToken ct)
    {
        var query = db.Items.Include(i => i.FieldsOfAction).Include(i => i.Themes).Include(i => i.Milestones).AsSplitQuery();
        return (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(i => i.Id == itemId, ct);
    }

    internal static async Task<ItemResponse> RespondAsync(ProposalsDb db, Item item, ClaimsPrincipal user, CancellationToken ct,
        ProcessCatalog? catalog = null)
    {
        var comments = await db.ItemComments.CountAsync(c => c.ItemId == item.Id, ct);
        var byElectorate = await db.ItemSupports.Where(s => s.ItemId == item.Id).GroupBy(s => s.Electorate)
            .Select(g => new { Electorate = g.Key, Supports = g.Sum(s => s.Supports) }).ToListAsync(ct);
        var supports = new SupportCounts(
            byElectorate.Where(g => g.Electorate == SupportElectorates.Citizens).Sum(g => g.Supports),
            byElectorate.Where(g => g.Electorate == SupportElectorates.VotingGroup).Sum(g => g.Supports));
        var labels = catalog?.Statuses ?? await db.ItemStatusOptions.AsNoTracking().Where(s => s.ProcessId == item.ProcessId).ToListAsync(ct);
        return ItemResponses.From(item, key => labels.FirstOrDefault(s => s.Key == key)?.Label ?? key, comments, supports, user);
    }

    private static ProblemHttpResult? Invalid(List<(string Field, string Message)> errors) =>
        errors.Count == 0
            ? null
            : Problems.Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
}
