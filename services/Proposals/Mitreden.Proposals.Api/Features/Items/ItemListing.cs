using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts;

namespace Mitreden.Proposals.Api.Features.Items;

/// <summary>
/// The item list: filters, German full-text search (generated tsvector + GIN, websearch_to_tsquery), sorting and
/// paging. Comment and support counts come from rows fed by Comments' and Voting's events.
/// </summary>
internal static class ItemListing
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    public sealed record Result(ItemPage? Page, ProblemHttpResult? Problem);

    public static async Task<Result> RunAsync(ProposalsDb db, Process process, ItemQuery q, ClaimsPrincipal user, CancellationToken ct)
    {
        var page = q.Page ?? 1;
        var pageSize = q.PageSize ?? DefaultPageSize;
        var text = string.IsNullOrWhiteSpace(q.Q) ? null : q.Q.Trim();
        var sort = q.Sort ?? (text is null ? "newest" : "relevance");
        var v = new Validator();
        v.Check(page >= 1, "page", "Must be 1 or more.");
        v.Check(pageSize is >= 1 and <= MaxPageSize, "pageSize", $"Must be between 1 and {MaxPageSize}.");
        v.Check(ItemSorts.All.Contains(sort), "sort", $"Must be one of: {string.Join(", ", ItemSorts.All)}.");
        v.Check(sort != "relevance" || text is not null, "sort", "'relevance' needs a search text (q).");
        v.Check(q.Kind is null || ItemKinds.All.Contains(q.Kind), "kind", $"Must be one of: {string.Join(", ", ItemKinds.All)}.");
        v.Check(q.Origin is null or "official" or "citizen", "origin", "Must be 'official' or 'citizen'.");
        v.Check(text is null || text.Length <= 200, "q", "At most 200 characters.");
        if (v.Failed)
        {
            return new Result(null, v.Problem());
        }

        var query = db.Items.AsNoTracking().Where(i => i.ProcessId == process.Id).VisibleTo(db, user);
        if (q.FieldOfAction is { } field)
        {
            query = query.Where(i => i.FieldsOfAction.Any(f => f.FieldOfActionId == field));
        }
        if (q.Theme is { } theme)
        {
            query = query.Where(i => i.Themes.Any(t => t.ThemeId == theme));
        }
        if (q.District is { } district)
        {
            query = query.Where(i => i.District == district);
        }
        if (q.Kind is { } kind)
        {
            query = query.Where(i => i.Kind == kind);
        }
        if (q.Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }
        if (q.Origin is { } origin)
        {
            var official = origin == "official";
            query = query.Where(i => i.Official == official);
        }
        if (text is not null)
        {
            query = query.Where(i => i.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("german", text)));
        }

        var total = await query.CountAsync(ct);
        var ordered = sort switch
        {
            "oldest" => query.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id),
            "title" => query.OrderBy(i => i.Title).ThenBy(i => i.Id),
            "most-comments" => query.OrderByDescending(i => i.Comments.Count()).ThenByDescending(i => i.CreatedAt).ThenBy(i => i.Id),
            "most-supports" => query.OrderByDescending(i => i.Supports.Where(s => s.Electorate == SupportElectorates.Citizens).Sum(s => s.Supports)).ThenByDescending(i => i.CreatedAt).ThenBy(i => i.Id),
            "relevance" => query.OrderByDescending(i => i.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("german", text!)))
                .ThenByDescending(i => i.CreatedAt).ThenBy(i => i.Id),
            _ => query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id),
        };
        var rows = await ordered.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(i => new
            {
                i.Id,
                Comments = i.Comments.Count(),
                Citizens = i.Supports.Where(s => s.Electorate == SupportElectorates.Citizens).Sum(s => s.Supports),
                VotingGroup = i.Supports.Where(s => s.Electorate == SupportElectorates.VotingGroup).Sum(s => s.Supports),
            })
            .ToListAsync(ct);

        var ids = rows.Select(r => r.Id).ToList();
        var items = await db.Items.AsNoTracking().Include(i => i.FieldsOfAction).Include(i => i.Themes).Include(i => i.Milestones)
            .AsSplitQuery().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var labels = await db.ItemStatusOptions.AsNoTracking().Where(s => s.ProcessId == process.Id).ToDictionaryAsync(s => s.Key, s => s.Label, ct);
        var list = rows.Select(r => ItemResponses.From(items[r.Id], key => labels.GetValueOrDefault(key, key), r.Comments, new SupportCounts(r.Citizens, r.VotingGroup), user))
            .ToList();
        return new Result(new ItemPage(list, page, pageSize, total), null);
    }
}
