using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Domain;

/// <summary>What an item says, as given by an endpoint, the CSV import or the demo seed.</summary>
/// <param name="Location">Checked apart by <c>LocationRules</c> (against the city's area) before it gets here.</param>
internal sealed record ItemDraft(string Kind, string Title, string Description, IReadOnlyList<Guid> FieldOfActionIds,
    IReadOnlyList<Guid> ThemeIds, string? District, Guid? ParentId, Priority? Priority, decimal? CostEstimate, GeoPoint? Location = null);

/// <summary>The references an item of a process may point at, loaded once (the import checks many rows against it).</summary>
internal sealed class ProcessCatalog
{
    public required Process Process { get; init; }
    public required IReadOnlyDictionary<Guid, FieldOfAction> Fields { get; init; }
    public required IReadOnlyDictionary<Guid, CrossCuttingTheme> Themes { get; init; }
    /// <summary>District slug → name, for the process's city.</summary>
    public required IReadOnlyDictionary<string, string> Districts { get; init; }
    /// <summary>Items that can be a parent (visions and guiding goals): id → (kind, title).</summary>
    public required Dictionary<Guid, (string Kind, string Title)> Parents { get; init; }
    public required IReadOnlyList<ItemStatusOption> Statuses { get; init; }

    public string InitialStatus => Statuses.OrderBy(s => s.Position).First().Key;

    public string Label(string status) => Statuses.FirstOrDefault(s => s.Key == status)?.Label ?? status;

    public static async Task<ProcessCatalog> LoadAsync(ProposalsDb db, Process process, CancellationToken ct) => new()
    {
        Process = process,
        Fields = await db.FieldsOfAction.AsNoTracking().Where(f => f.ProcessId == process.Id).ToDictionaryAsync(f => f.Id, ct),
        Themes = await db.Themes.AsNoTracking().Where(t => t.ProcessId == process.Id).ToDictionaryAsync(t => t.Id, ct),
        Districts = await db.Districts.AsNoTracking().Where(d => d.City == process.City).ToDictionaryAsync(d => d.Slug, d => d.Name, ct),
        Parents = (await db.Items.AsNoTracking()
                .Where(i => i.ProcessId == process.Id && (i.Kind == ItemKinds.Vision || i.Kind == ItemKinds.GuidingGoal))
                .Select(i => new { i.Id, i.Kind, i.Title }).ToListAsync(ct))
            .ToDictionary(i => i.Id, i => (i.Kind, i.Title)),
        Statuses = await db.ItemStatusOptions.AsNoTracking().Where(s => s.ProcessId == process.Id).OrderBy(s => s.Position).ToListAsync(ct),
    };
}

internal static class ItemRules
{
    public const int MaxTitle = 300;
    public const int MaxDescription = 20_000;

    /// <summary>Field errors of a draft against the process (field names as in the JSON request).</summary>
    public static List<(string Field, string Message)> Check(ProcessCatalog catalog, ItemDraft draft, Guid? selfId = null)
    {
        var errors = new List<(string, string)>();
        if (!ItemKinds.All.Contains(draft.Kind))
        {
            errors.Add(("kind", $"Must be one of: {string.Join(", ", ItemKinds.All)}."));
        }
        if (string.IsNullOrWhiteSpace(draft.Title))
        {
            errors.Add(("title", "Must not be empty."));
        }
        else if (draft.Title.Trim().Length > MaxTitle)
        {
            errors.Add(("title", $"At most {MaxTitle} characters."));
        }
        if (draft.Description.Length > MaxDescription)
        {
            errors.Add(("description", $"At most {MaxDescription} characters."));
        }
        foreach (var id in draft.FieldOfActionIds.Where(id => !catalog.Fields.ContainsKey(id)))
        {
            errors.Add(("fieldOfActionIds", $"{id} is not a field of action of this process."));
        }
        foreach (var id in draft.ThemeIds.Where(id => !catalog.Themes.ContainsKey(id)))
        {
            errors.Add(("themeIds", $"{id} is not a cross-cutting theme of this process."));
        }
        if (draft.District is { } district && !catalog.Districts.ContainsKey(district))
        {
            errors.Add(("district", $"'{district}' is not a district of {catalog.Process.City}."));
        }
        if (draft.CostEstimate is < 0 or > 100_000_000_000_000m)
        {
            errors.Add(("costEstimate", "Must be between 0 and 10^14."));
        }
        if (draft.ParentId is { } parentId)
        {
            if (parentId == selfId || !catalog.Parents.TryGetValue(parentId, out var parent))
            {
                errors.Add(("parentId", "Must be a vision or guiding goal of this process."));
            }
            else if (ParentProblem(draft.Kind, parent.Kind) is { } problem)
            {
                errors.Add(("parentId", problem));
            }
        }
        return errors;
    }

    /// <summary>Vision ← guiding goal ← measure/scenario/idea keeps the tree two levels deep and free of cycles.</summary>
    public static string? ParentProblem(string kind, string parentKind) => kind switch
    {
        ItemKinds.Vision => "A vision has no parent.",
        ItemKinds.GuidingGoal when parentKind != ItemKinds.Vision => "A guiding goal can only sit under a vision.",
        _ when parentKind is not (ItemKinds.Vision or ItemKinds.GuidingGoal) => "The parent must be a vision or guiding goal.",
        _ => null,
    };

    public static Item Create(ProcessCatalog catalog, ItemDraft draft, bool official, Guid? authorId, string? authorName, DateTimeOffset now,
        Guid? id = null)
    {
        var item = new Item
        {
            Id = id ?? Guid.CreateVersion7(),
            ProcessId = catalog.Process.Id,
            Kind = draft.Kind,
            Title = "",
            Description = "",
            Official = official,
            AuthorId = authorId,
            AuthorName = authorName,
            Status = catalog.InitialStatus,
            CreatedAt = now,
        };
        Apply(item, draft, now);
        if (draft.Kind == ItemKinds.Vision || draft.Kind == ItemKinds.GuidingGoal)
        {
            catalog.Parents[item.Id] = (item.Kind, item.Title);
        }
        return item;
    }

    public static void Apply(Item item, ItemDraft draft, DateTimeOffset now)
    {
        item.Title = draft.Title.Trim();
        item.Description = draft.Description.Trim();
        item.District = draft.District;
        item.ParentId = draft.ParentId;
        item.Priority = draft.Priority;
        item.CostEstimate = draft.CostEstimate;
        item.Latitude = draft.Location?.Latitude;
        item.Longitude = draft.Location?.Longitude;
        item.UpdatedAt = now;
        item.FieldsOfAction.RemoveAll(f => !draft.FieldOfActionIds.Contains(f.FieldOfActionId));
        foreach (var id in draft.FieldOfActionIds.Distinct().Where(id => item.FieldsOfAction.All(f => f.FieldOfActionId != id)))
        {
            item.FieldsOfAction.Add(new ItemFieldOfAction { ItemId = item.Id, FieldOfActionId = id });
        }
        item.Themes.RemoveAll(t => !draft.ThemeIds.Contains(t.ThemeId));
        foreach (var id in draft.ThemeIds.Distinct().Where(id => item.Themes.All(t => t.ThemeId != id)))
        {
            item.Themes.Add(new ItemTheme { ItemId = item.Id, ThemeId = id });
        }
    }

    /// <summary>Makes the item known to the other services (Comments, Voting) through the outbox.</summary>
    public static void Publish(ProposalsDb db, Item item, DateTimeOffset now)
    {
        item.PublishedAt = now;
        db.AddOutboxMessage(new ItemPublished(item.Id, item.ProcessId, item.Kind, item.Title, item.District, item.CostEstimate,
            item.Official, item.AuthorId, now, item.PhaseId));
    }

    public static void AnnounceUpdate(ProposalsDb db, Item item, DateTimeOffset now)
    {
        if (item.PublishedAt is not null)
        {
            db.AddOutboxMessage(new ItemUpdated(item.Id, item.ProcessId, item.Title, item.District, item.CostEstimate, now, item.PhaseId));
        }
    }

    /// <summary>
    /// Sets status, public answer and internal note. The item counts as answered (its author can no longer edit it)
    /// while it has a public answer or a status other than the initial one. ItemStatusChanged goes out when what
    /// the public sees changed.
    /// </summary>
    public static void SetStatus(ProposalsDb db, ProcessCatalog catalog, Item item, string status, string? publicAnswer, string? internalNote,
        DateTimeOffset now)
    {
        var visibleChange = status != item.Status || publicAnswer != item.PublicAnswer;
        item.Status = status;
        item.PublicAnswer = publicAnswer;
        item.InternalNote = internalNote;
        item.AnsweredAt = status != catalog.InitialStatus || publicAnswer is not null ? item.AnsweredAt ?? now : null;
        item.UpdatedAt = now;
        if (visibleChange && item.PublishedAt is not null)
        {
            db.AddOutboxMessage(new ItemStatusChanged(item.Id, item.ProcessId, status, publicAnswer, now));
        }
    }
}
