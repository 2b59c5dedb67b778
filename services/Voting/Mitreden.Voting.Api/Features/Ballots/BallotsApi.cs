using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.Ballots;

public static class BallotsApi
{
    public static IEndpointRouteBuilder MapBallotsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots").WithTags("Ballots");
        group.MapGet("", ListAsync).AllowAnonymous();
        group.MapGet("/{id:guid}", GetAsync).AllowAnonymous();
        group.MapPost("", CreateAsync).RequireAuthorization(AuthPolicies.Staff);
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("/{id:guid}/open", OpenAsync).RequireAuthorization(AuthPolicies.Staff);
        group.MapPost("/{id:guid}/extend", ExtendAsync).RequireAuthorization(AuthPolicies.Staff);
        app.MapGet("/noop", () => TypedResults.NoContent()).AllowAnonymous().WithTags("Load test");
        return app;
    }

    private static bool IsStaff(ClaimsPrincipal user) => user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin);

    private static async Task<IResult> ListAsync(Guid? processId, string? state, ClaimsPrincipal user, BallotCache cache,
        ProcessGate gate, TimeProvider time, CancellationToken ct)
    {
        if (!cache.All.Any())
        {
            await cache.ReloadAllAsync(ct);
        }
        var now = time.GetUtcNow();
        var staff = IsStaff(user);
        var maySee = await gate.FilterAsync(user, ct);
        var views = cache.All
            .Where(b => maySee(b.ProcessId, b.PhaseId))
            .Where(b => processId is null || b.ProcessId == processId)
            .Where(b => staff || b.Status != BallotStatus.Draft)
            .Select(b => BallotViews.From(b, now))
            .Where(v => state is null || string.Equals(BallotResults.Kebab(v.State.ToString()), state, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(v => v.State == BallotState.Open).ThenByDescending(v => v.CreatedAt)
            .ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, BallotCache cache, ProcessGate gate, TimeProvider time,
        CancellationToken ct)
    {
        var ballot = await cache.GetCheckedAsync(id, b => b is null || b.Status == BallotStatus.Draft, ct);
        if (ballot is null || (ballot.Status == BallotStatus.Draft && !IsStaff(user)) || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, ct))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        return TypedResults.Ok(BallotViews.From(ballot, time.GetUtcNow()));
    }

    private static async Task<IResult> CreateAsync(BallotInput input, ClaimsPrincipal user, VotingDb db, BallotCache cache,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ballot = new Ballot { Id = Guid.CreateVersion7(), Title = input.Title, CreatedAt = now, CreatedBy = user.UserId(), Status = BallotStatus.Draft };
        var errors = await ApplyAsync(ballot, input, db, ct);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Abstimmung ist so nicht möglich.");
        }
        db.Ballots.Add(ballot);
        await db.SaveChangesAsync(ct);
        var snapshot = await cache.ReloadAsync(ballot.Id, ct);
        return TypedResults.Created($"/ballots/{ballot.Id}", BallotViews.From(snapshot!, now));
    }

    private static async Task<IResult> UpdateAsync(Guid id, BallotInput input, VotingDb db, BallotCache cache, TimeProvider time, CancellationToken ct)
    {
        var ballot = await db.Ballots.Include(b => b.Options).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (ballot is null)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        if (ballot.Status != BallotStatus.Draft)
        {
            return Problems.Conflict("Eine veröffentlichte Abstimmung kann nicht mehr geändert werden (nur ihr Ende verlängert).", "not-draft");
        }
        db.BallotOptions.RemoveRange(ballot.Options);
        ballot.Options.Clear();
        var errors = await ApplyAsync(ballot, input, db, ct);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "Die Abstimmung ist so nicht möglich.");
        }
        ballot.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await cache.ChangedAsync(id, ct);
        return TypedResults.Ok(BallotViews.From((await cache.GetAsync(id, ct))!, time.GetUtcNow()));
    }

    /// <summary>Copies and checks the input; returns the refused fields (German, with codes) or none.</summary>
    internal static async Task<List<FieldError>> ApplyAsync(Ballot ballot, BallotInput input, VotingDb db, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        void Add(string field, string code, string message) => errors.Add(new FieldError(field, code, message));
        if (string.IsNullOrWhiteSpace(input.Title) || input.Title.Length > 300)
        {
            Add("title", "ballot-title-invalid", "Der Titel ist leer oder länger als 300 Zeichen.");
        }
        if (input.Description is { Length: > 10_000 })
        {
            Add("description", "ballot-description-too-long", "Die Beschreibung ist länger als 10.000 Zeichen.");
        }
        if (input.Options.Count is 0 or > 500)
        {
            Add("options", "ballot-options-count", "Eine Abstimmung hat 1 bis 500 Optionen.");
        }
        var itemIds = input.Options.Where(o => o.ItemId is not null).Select(o => o.ItemId!.Value).ToList();
        if (itemIds.Distinct().Count() != itemIds.Count)
        {
            Add("options", "ballot-option-duplicate", "Ein Eintrag steht mehrfach in der Liste der Optionen.");
        }
        var items = await db.Items.AsNoTracking().Where(i => itemIds.Contains(i.ItemId)).ToDictionaryAsync(i => i.ItemId, ct);

        var eligibility = input.Eligibility ?? new EligibilityInput(EligibilityKind.Verified);
        if (eligibility.District is { } district && (eligibility.Kind != EligibilityKind.Resident || !DistrictSlug.IsValid(district)))
        {
            Add("eligibility.district", "ballot-district-needs-resident", "Ein Stadtteil (Kürzel wie \"mitte\") kann nur bei der Berechtigung \"resident\" angegeben werden.");
        }
        if (eligibility.Kind == EligibilityKind.VotingGroup && eligibility.VotingGroupId is null)
        {
            Add("eligibility.votingGroupId", "ballot-voting-group-missing", "Für eine Abstimmung mit Abstimmungscodes fehlt die Gruppe (votingGroupId).");
        }
        if (input.FollowsPhase && input.PhaseId is null)
        {
            Add("phaseId", "ballot-phase-missing", "Eine Abstimmung, die ihrer Phase folgt, braucht eine Phase (phaseId).");
        }
        if (input.OpensAt is { } opens && input.ClosesAt is { } closes && closes <= opens)
        {
            Add("closesAt", "ballot-end-before-start", "Das Ende muss nach dem Beginn liegen.");
        }

        ballot.ProcessId = input.ProcessId;
        ballot.PhaseId = input.PhaseId;
        ballot.Title = input.Title?.Trim() ?? "";
        ballot.Description = input.Description;
        ballot.Method = input.Method;
        ballot.MinSelections = input.MinSelections;
        ballot.MaxSelections = input.MaxSelections;
        ballot.MaxScore = input.MaxScore;
        ballot.Dots = input.Dots;
        ballot.MaxDotsPerOption = input.MaxDotsPerOption;
        ballot.Budget = input.Budget;
        ballot.AllowPartialRanking = input.AllowPartialRanking;
        ballot.Eligibility = eligibility.Kind;
        ballot.EligibleDistrict = eligibility.District?.ToLowerInvariant();
        ballot.VotingGroupId = eligibility.Kind == EligibilityKind.VotingGroup ? eligibility.VotingGroupId : null;
        ballot.VotingGroupName = eligibility.Kind == EligibilityKind.VotingGroup ? eligibility.VotingGroupName : null;
        ballot.Visibility = input.Visibility;
        ballot.FollowsPhase = input.FollowsPhase;
        ballot.OpensAt = input.FollowsPhase ? null : input.OpensAt;
        ballot.ClosesAt = input.FollowsPhase ? null : input.ClosesAt;
        ballot.UpdatedAt = ballot.CreatedAt;

        var position = 0;
        foreach (var option in input.Options)
        {
            position++;
            ItemCopy? item = option.ItemId is { } itemId ? items.GetValueOrDefault(itemId) : null;
            var title = option.Title?.Trim() is { Length: > 0 } given ? given : item?.Title;
            if (title is null || title.Length > 300)
            {
                if (option.ItemId is null)
                {
                    Add($"options[{position - 1}].title", "ballot-option-title-invalid", $"Option {position}: Der Titel fehlt oder ist länger als 300 Zeichen.");
                }
                else
                {
                    Add($"options[{position - 1}].itemId", "ballot-option-item-unknown",
                        $"Option {position}: Der Eintrag {option.ItemId} ist hier (noch) nicht bekannt; bitte einen Titel angeben.");
                }
                continue;
            }
            ballot.Options.Add(new BallotOption
            {
                BallotId = ballot.Id,
                OptionId = option.ItemId ?? Guid.CreateVersion7(),
                ItemId = option.ItemId,
                Title = title,
                Cost = option.Cost ?? item?.CostEstimate,
                Position = position,
            });
        }
        if (errors.Count == 0)
        {
            var options = ballot.Options.Select(o => new OptionSnapshot(o.OptionId, o.ItemId, o.Title, o.Cost, o.Position)).ToList();
            errors.AddRange(BallotSnapshot.RulesOf(ballot, options).Check());
        }
        return errors;
    }

    private static async Task<IResult> OpenAsync(Guid id, VotingDb db, BallotCache cache, TimeProvider time, CancellationToken ct)
    {
        var ballot = await db.Ballots.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (ballot is null)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        if (ballot.Status != BallotStatus.Draft)
        {
            return Problems.Conflict("Die Abstimmung ist bereits veröffentlicht oder beendet; sie kann nicht erneut geöffnet werden.", "already-published");
        }
        var now = time.GetUtcNow();
        if (ballot.FollowsPhase)
        {
            if (await db.Phases.AsNoTracking().FirstOrDefaultAsync(p => p.PhaseId == ballot.PhaseId, ct) is { } phase)
            {
                ballot.OpensAt = phase.StartsAt;
                ballot.ClosesAt = phase.EndedAt ?? phase.EndsAt;
            }
        }
        else
        {
            ballot.OpensAt ??= now;
            if (ballot.ClosesAt is null)
            {
                return Problems.Invalid([new FieldError("closesAt", "ballot-end-missing", "Bitte legen Sie ein Ende der Abstimmung fest, bevor Sie sie öffnen.")],
                    "Die Abstimmung kann so nicht geöffnet werden.");
            }
        }
        if (ballot.ClosesAt is { } end && end <= now)
        {
            return Problems.Conflict("Das Ende der Abstimmung liegt in der Vergangenheit.", "end-in-past");
        }
        ballot.Status = BallotStatus.Published;
        ballot.UpdatedAt = now;
        if (ballot.OpensAt is { } opensAt && ballot.ClosesAt is { } closesAt)
        {
            db.AddOutboxMessage(new BallotOpened(ballot.Id, ballot.ProcessId, ballot.PhaseId, ballot.Title,
                BallotResults.Kebab(ballot.Method.ToString()), opensAt, closesAt));
        }
        await db.SaveChangesAsync(ct);
        await cache.ChangedAsync(id, ct);
        return TypedResults.Ok(BallotViews.From((await cache.GetAsync(id, ct))!, now));
    }

    private static async Task<IResult> ExtendAsync(Guid id, ExtendInput input, VotingDb db, BallotCache cache, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ballot = await db.Ballots.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (ballot is null)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        if (ballot.Status != BallotStatus.Published || ballot.ClosesAt is { } end && end <= now)
        {
            return Problems.Conflict(ballot.Status == BallotStatus.Draft
                ? "Eine Abstimmung im Entwurf wird mit PUT geändert."
                : "Die Abstimmung ist beendet; eine beendete Abstimmung wird nicht wieder geöffnet.", "not-open");
        }
        if (input.ClosesAt <= now)
        {
            return Problems.Conflict("Das neue Ende darf nicht in der Vergangenheit liegen.", "end-in-past");
        }
        if (ballot.OpensAt is { } start && input.ClosesAt <= start)
        {
            return Problems.Conflict("Das neue Ende muss nach dem Beginn liegen.", "end-before-start");
        }
        ballot.ClosesAt = input.ClosesAt;
        ballot.FollowsPhase = false;
        ballot.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await cache.ChangedAsync(id, ct);
        return TypedResults.Ok(BallotViews.From((await cache.GetAsync(id, ct))!, now));
    }
}
