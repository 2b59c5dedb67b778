using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Identity.Api.Features.Audit;

public static class AuditActions
{
    public const string RoleGranted = "role-granted";
    public const string RoleRevoked = "role-revoked";
    public const string UserBlocked = "user-blocked";
    public const string UserUnblocked = "user-unblocked";
    public const string ResidencyVerified = "residency-verified";
    public const string LetterCodeRejected = "letter-code-rejected";
    public const string LetterCodeBatchCreated = "letter-code-batch-created";
    public const string VotingCodeGroupCreated = "voting-code-group-created";
    public const string SigningKeyRotated = "signing-key-rotated";
    public const string AccountDeleted = "account-deleted";
    public const string TestVotersCreated = "test-voters-created";
}

public static class AuditTargets
{
    public const string User = "user";
    public const string LetterCodeBatch = "letter-code-batch";
    public const string VotingCodeGroup = "voting-code-group";
    public const string SigningKey = "signing-key";
}

/// <summary>
/// The append-only audit log: rows are added in the same SaveChanges as the change they describe. Details hold
/// ids, roles, dates, reasons for failures, never emails, display names, tokens or codes.
/// </summary>
public static class AuditLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AuditEntry Add(IdentityDb db, Guid? actorId, string action, string targetType, string targetId, object? details, DateTimeOffset at)
    {
        var entry = new AuditEntry
        {
            At = at,
            ActorId = actorId,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Details = details is null ? null : JsonSerializer.Serialize(details, Json),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    public static AuditEntry Add(IdentityDb db, Guid? actorId, string action, string targetType, Guid targetId, object? details, DateTimeOffset at) =>
        Add(db, actorId, action, targetType, targetId.ToString(), details, at);

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/audit", ListAsync).WithTags("Audit").RequireAuthorization(AuthPolicies.Staff).ProducesProblems(400, 401, 403, 422);
        return app;
    }

    /// <summary>Newest first; filter by target and/or actor; before = id for paging.</summary>
    private static async Task<Results<Ok<List<AuditEntryView>>, ProblemHttpResult>> ListAsync(IdentityDb db,
        string? targetType, string? targetId, Guid? actorId, long? before, int? limit, CancellationToken ct)
    {
        var take = limit ?? 100;
        if (take is < 1 or > 1000)
        {
            return Problems.Invalid([new KeyValuePair<string, string[]>("limit", ["Die Anzahl muss zwischen 1 und 1000 liegen."])],
                "Die Anzahl muss zwischen 1 und 1000 liegen.", new Dictionary<string, string> { ["limit"] = "audit-limit-range" }, language: "de");
        }
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(targetType))
        {
            query = query.Where(a => a.TargetType == targetType);
        }
        if (!string.IsNullOrEmpty(targetId))
        {
            query = query.Where(a => a.TargetId == targetId);
        }
        if (actorId is { } actor)
        {
            query = query.Where(a => a.ActorId == actor);
        }
        if (before is { } id)
        {
            query = query.Where(a => a.Id < id);
        }
        var rows = await query.OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(AuditEntryView.From).ToList());
    }
}

public sealed record AuditEntryView(long Id, DateTimeOffset At, Guid? ActorId, string Action, string TargetType, string TargetId, JsonElement? Details)
{
    public static AuditEntryView From(AuditEntry a) => new(a.Id, a.At, a.ActorId, a.Action, a.TargetType, a.TargetId,
        a.Details is null ? null : JsonDocument.Parse(a.Details).RootElement.Clone());
}
