using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Identity.Api.Features.VotingCodes;

/// <summary>
/// Voting codes for closed groups (council members, workshop participants). A code is exchanged (Identity's voting-code
/// page for the web, the urn:mitreden:voting-code grant for API clients) for an access token whose subject is a random
/// id stored with the code hash: stable per code (so Voting counts one vote per
/// ballot and lets it be changed), linked to no account or person.
/// </summary>
public static class VotingCodesApi
{
    public const int MaxCodesPerGroup = 10_000;

    public static IEndpointRouteBuilder MapVotingCodesApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/voting-code-groups").WithTags("Voting codes").RequireAuthorization(AuthPolicies.Staff);
        admin.MapPost("/", CreateGroupAsync).Produces<string>(StatusCodes.Status201Created, "text/csv").ProducesProblems(400, 401, 403, 422);
        admin.MapGet("/", ListGroupsAsync).ProducesProblems(401, 403);
        return app;
    }

    /// <summary>201 with the codes as CSV (code;group_id;group_name), the only time they exist in clear.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> CreateGroupAsync(CreateGroupRequest request, HttpContext http,
        IdentityDb db, IdentitySecrets secrets, TimeProvider time, CancellationToken ct)
    {
        var name = request.Name.Trim();
        if (name.Length is 0 or > 200)
        {
            return Problems.Invalid([new KeyValuePair<string, string[]>("name", ["Der Name muss 1 bis 200 Zeichen haben."])], null,
                new Dictionary<string, string> { ["name"] = "voting-code-group-name" }, language: "de");
        }
        if (request.Count is < 1 or > MaxCodesPerGroup)
        {
            return Problems.Invalid([new KeyValuePair<string, string[]>("count", [$"Die Anzahl muss zwischen 1 und {MaxCodesPerGroup} liegen."])], null,
                new Dictionary<string, string> { ["count"] = "voting-code-count" }, language: "de");
        }

        var now = time.GetUtcNow();
        var actor = http.User.UserId();
        var group = new VotingCodeGroup
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            CodeCount = request.Count,
            CreatedAt = now,
            CreatedBy = actor,
            Salt = OneTimeCodes.NewSalt(),
        };
        db.VotingCodeGroups.Add(group);
        var key = OneTimeCodes.BatchKey(secrets.CodePepper, group.Salt);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < request.Count)
        {
            codes.Add(OneTimeCodes.Generate());
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var code in codes)
        {
            db.VotingCodes.Add(new VotingCode
            {
                CodeHash = OneTimeCodes.Hash(key, OneTimeCodes.Normalize(code)!),
                GroupId = group.Id,
                Subject = Guid.NewGuid(),
            });
        }
        AuditLog.Add(db, actor, AuditActions.VotingCodeGroupCreated, AuditTargets.VotingCodeGroup, group.Id, new { count = request.Count }, now);
        await db.SaveChangesAsync(ct);

        var csv = new StringBuilder("\uFEFFcode;group_id;group_name\r\n", 24 + (codes.Count * (60 + name.Length)));
        var groupName = CsvText.Field(name, ';');
        foreach (var code in codes)
        {
            csv.Append(code).Append(';').Append(group.Id).Append(';').Append(groupName).Append("\r\n");
        }
        http.Response.Headers.Location = $"/admin/voting-code-groups/{group.Id}";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"voting-codes-{group.Id}.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(csv.ToString(), "text/csv", Encoding.UTF8, StatusCodes.Status201Created);
    }

    private static async Task<Ok<List<GroupView>>> ListGroupsAsync(IdentityDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.VotingCodeGroups.AsNoTracking()
            .OrderByDescending(g => g.CreatedAt)
            .Select(g => new GroupView(g.Id, g.Name, g.CodeCount,
                db.VotingCodes.Count(c => c.GroupId == g.Id && c.FirstUsedAt != null), g.CreatedAt, g.CreatedBy))
            .ToListAsync(ct));
}
