using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace Mitreden.Identity.Api.Features.Admin;

/// <summary>
/// Load-test support: creates confirmed citizen accounts, verified residents of one district, and returns each one's
/// id and key; the load driver takes their access tokens at the token endpoint with <see cref="TestVoterGrant"/>.
/// Exists only with Identity:AllowTestVoters=true (otherwise 404). The accounts have no password, and they are written
/// set-based (one INSERT … SELECT FROM unnest per table, with their two events in the outbox in the same transaction),
/// so bench's ~140,000 voters take seconds here.
/// </summary>
public static class TestVotersApi
{
    public const int MaxCount = 5000;

    public static IEndpointRouteBuilder MapTestVotersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/test-voters", CreateAsync).WithTags("Load tests").RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    public sealed record CreateTestVotersRequest(int Count, string District);

    /// <summary>A voter's id and key: the parameters voter_id and voter_key of the test-voter grant.</summary>
    public sealed record TestVoter(Guid UserId, string Key);

    public sealed record TestVotersResponse(string District, string GrantType, IReadOnlyList<TestVoter> Voters);

    private static async Task<Results<Ok<TestVotersResponse>, NotFound, ProblemHttpResult>> CreateAsync(CreateTestVotersRequest request,
        HttpContext http, IdentityDb db, IdentitySettings settings, IdentitySecrets secrets, OutboxSignal outbox, TimeProvider time,
        CancellationToken ct)
    {
        if (!settings.AllowTestVoters)
        {
            return TypedResults.NotFound();
        }
        if (request.Count is < 1 or > MaxCount || !DistrictSlug.IsValid(request.District))
        {
            return Problems.Invalid([new KeyValuePair<string, string[]>(request.Count is < 1 or > MaxCount ? "count" : "district",
                    [$"Die Anzahl muss zwischen 1 und {MaxCount} liegen, der Stadtteil ein Kürzel wie „mitte“ sein."])],
                $"Die Anzahl muss zwischen 1 und {MaxCount} liegen, der Stadtteil ein Kürzel wie „mitte“ sein.", language: "de", code: "test-voters-invalid");
        }

        var now = time.GetUtcNow();
        var ids = new Guid[request.Count];
        var names = new string[request.Count];
        var events = new List<OutboxMessage>(2 * request.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Guid.CreateVersion7();
            names[i] = $"Testperson {i + 1}";
            events.Add(OutboxMessage.Create(new UserRegistered(ids[i], names[i], now)));
            events.Add(OutboxMessage.Create(new UserVerified(ids[i], VerificationLevels.Resident, request.District, now)));
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Columns as EF Core writes them for a new MitredenUser (confirmed, lockout enabled, no password).
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO users (id, user_name, normalized_user_name, email, normalized_email, email_confirmed, security_stamp,
                    concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count,
                    display_name, resident_district, resident_since, created_at)
                SELECT v.id, v.n, upper(v.n), 'testvoter-' || v.n || '@test.invalid', upper('testvoter-' || v.n || '@test.invalid'), true,
                    upper(replace(gen_random_uuid()::text, '-', '')), gen_random_uuid()::text, false, false, true, 0,
                    v.name, @district, @now, @now
                FROM (SELECT id, replace(id::text, '-', '') AS n, name FROM unnest(@ids, @names) AS t(id, name)) v;
                INSERT INTO user_roles (user_id, role_id) SELECT id, @role FROM unnest(@ids) AS t(id);
                INSERT INTO outbox_messages (message_id, message_type, body, correlation_id, created_at, attempts)
                SELECT m.id, m.type, m.body::jsonb, m.correlation_id, m.created_at, 0
                FROM unnest(@message_ids, @message_types, @bodies, @correlation_ids, @created_at) AS m(id, type, body, correlation_id, created_at);
                """,
                [
                    new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids },
                    new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names },
                    new NpgsqlParameter("district", NpgsqlDbType.Text) { Value = request.District },
                    new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now },
                    new NpgsqlParameter("role", NpgsqlDbType.Uuid) { Value = SeededRoles.IdOf(Roles.Citizen) },
                    new NpgsqlParameter("message_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.MessageId).ToArray() },
                    new NpgsqlParameter("message_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.MessageType).ToArray() },
                    new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Body).ToArray() },
                    new NpgsqlParameter("correlation_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.CorrelationId).ToArray() },
                    new NpgsqlParameter("created_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = events.Select(e => e.CreatedAt).ToArray() },
                ], ct);
            AuditLog.Add(db, http.User.UserId(), AuditActions.TestVotersCreated, AuditTargets.User, "test-voters",
                new { count = request.Count, district = request.District }, now);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        outbox.Notify();

        var voters = ids.Select(id => new TestVoter(id, TestVoterGrant.KeyOf(secrets, id))).ToArray();
        return TypedResults.Ok(new TestVotersResponse(request.District, TestVoterGrant.GrantType, voters));
    }
}
