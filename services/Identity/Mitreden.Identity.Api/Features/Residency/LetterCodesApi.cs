using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Contracts;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Proposals.Contracts;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Identity.Api.Features.Residency;

/// <summary>
/// Residency verification by letter: the city mails one-time codes to residents of a district; redeeming one makes
/// the account a verified resident of that district (tokens then say verification=resident and district=slug).
/// </summary>
public static class LetterCodesApi
{
    public const int MaxCodesPerBatch = 10_000;
    public const string RateLimitBucket = "letter-code-failures";

    public static IEndpointRouteBuilder MapLetterCodesApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/letter-code-batches").WithTags("Residency").RequireAuthorization(AuthPolicies.Staff);
        admin.MapPost("/", CreateBatchAsync).Produces<string>(StatusCodes.Status201Created, "text/csv").ProducesProblems(400, 401, 403, 422, 503);
        admin.MapGet("/", ListBatchesAsync).ProducesProblems(401, 403);

        app.MapPost("/verification/letter-codes/redeem", RedeemAsync).WithTags("Residency").RequireAuthorization(AuthPolicies.Citizen)
            .ProducesProblems(400, 401, 403, 404, 409, 422, 429);
        return app;
    }

    /// <summary>
    /// 201 with the codes as CSV (code;district) for the city's mail merge; they are never shown again. Only for a
    /// district the city has: Proposals owns the districts and is asked over the bus (503 while it cannot answer).
    /// </summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> CreateBatchAsync(CreateBatchRequest request, HttpContext http,
        IdentityDb db, IdentitySecrets secrets, TimeProvider time, IRequestClient<FindDistrict> districts, CancellationToken ct)
    {
        // Field errors with stable codes (errorCodes), so the web can say them at the field in its own language.
        var errors = new Dictionary<string, string[]>();
        var errorCodes = new Dictionary<string, string>();
        if (!DistrictSlug.IsValid(request.District))
        {
            errors["district"] = ["Der Stadtteil ist als Kürzel anzugeben, etwa „mitte“ (a–z, 0–9, Bindestriche)."];
            errorCodes["district"] = "district-slug";
        }
        if (request.Count is < 1 or > MaxCodesPerBatch)
        {
            errors["count"] = [$"Die Anzahl muss zwischen 1 und {MaxCodesPerBatch} liegen."];
            errorCodes["count"] = "letter-code-count";
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, string.Join(" ", errors.Values.SelectMany(m => m)), errorCodes, language: "de");
        }
        DistrictLookup lookup;
        try
        {
            lookup = (await districts.GetResponse<DistrictLookup>(new FindDistrict(request.District), ct)).Message;
        }
        catch (RequestTimeoutException)
        {
            http.Response.Headers.RetryAfter = "30";
            return Problems.Unavailable("Die Liste der Stadtteile ist im Moment nicht erreichbar. Bitte versuchen Sie es in einer Minute erneut.",
                "districts-unavailable", language: "de");
        }
        if (!lookup.Exists)
        {
            return Problems.Invalid(
                [new KeyValuePair<string, string[]>("district", [$"Den Stadtteil „{request.District}“ gibt es nicht. Legen Sie ihn zuerst unter Stadtteile an."])],
                "Briefcodes gibt es nur für Stadtteile, die die Stadt angelegt hat.", new Dictionary<string, string> { ["district"] = "district-unknown" },
                language: "de", code: "district-unknown");
        }

        var now = time.GetUtcNow();
        var actor = http.User.UserId();
        var batch = new LetterCodeBatch
        {
            Id = Guid.CreateVersion7(),
            District = request.District,
            CodeCount = request.Count,
            CreatedAt = now,
            CreatedBy = actor,
            Salt = OneTimeCodes.NewSalt(),
        };
        db.LetterCodeBatches.Add(batch);
        var key = OneTimeCodes.BatchKey(secrets.CodePepper, batch.Salt);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < request.Count)
        {
            codes.Add(OneTimeCodes.Generate());
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var code in codes)
        {
            db.LetterCodes.Add(new LetterCode { CodeHash = OneTimeCodes.Hash(key, OneTimeCodes.Normalize(code)!), BatchId = batch.Id });
        }
        AuditLog.Add(db, actor, AuditActions.LetterCodeBatchCreated, AuditTargets.LetterCodeBatch, batch.Id,
            new { district = batch.District, count = batch.CodeCount }, now);
        await db.SaveChangesAsync(ct);

        var csv = new StringBuilder("\uFEFFcode;district\r\n", 16 + (codes.Count * (18 + batch.District.Length)));
        var district = CsvText.Field(batch.District, ';');
        foreach (var code in codes)
        {
            csv.Append(code).Append(';').Append(district).Append("\r\n");
        }
        http.Response.Headers.Location = $"/admin/letter-code-batches/{batch.Id}";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"letter-codes-{batch.District}-{batch.Id}.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(csv.ToString(), "text/csv", Encoding.UTF8, StatusCodes.Status201Created);
    }

    private static async Task<Ok<List<BatchView>>> ListBatchesAsync(IdentityDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.LetterCodeBatches.AsNoTracking()
            .OrderByDescending(b => b.CreatedAt)
            .Select(b => new BatchView(b.Id, b.District, b.CodeCount,
                db.LetterCodes.Count(c => c.BatchId == b.Id && c.RedeemedAt != null), b.CreatedAt, b.CreatedBy))
            .ToListAsync(ct));

    private static async Task<Results<Ok<RedeemResponse>, ProblemHttpResult>> RedeemAsync(RedeemRequest request, HttpContext http,
        IdentityDb db, IdentitySecrets secrets, IdentitySettings settings, FailureLimiter limiter, AttemptGuard guard, TimeProvider time,
        CancellationToken ct)
    {
        var outcome = await RedeemForAsync(http, http.User.UserId(), request.Code, db, secrets, settings, limiter, guard, time, ct);
        switch (outcome.Result)
        {
            case Redemption.Redeemed:
                return TypedResults.Ok(new RedeemResponse(VerificationLevels.Resident, outcome.District!));
            case Redemption.NoAccount:
                return Problems.NotFound("Nur angemeldete Konten können einen Briefcode einlösen.", "account-not-found", language: "de");
            case Redemption.TooManyFromAddress:
                return AttemptGuard.TooMany(http, outcome.RetryAfter!.Value);
            case Redemption.TooManyForAccount:
                http.Response.Headers.RetryAfter = FailureLimiter.RetryAfterHeader(outcome.RetryAfter!.Value);
                return Problems.Problem(StatusCodes.Status429TooManyRequests,
                    $"Es wurden zu viele ungültige Codes eingegeben. Bitte versuchen Sie es in {Math.Ceiling(outcome.RetryAfter.Value.TotalMinutes)} Minuten erneut.",
                    "letter-code-attempts-exceeded", language: "de");
            case Redemption.Used:
                return CodeAlreadyUsed();
            default:
                return Problems.Invalid([new KeyValuePair<string, string[]>("code", ["Diesen Briefcode gibt es nicht."])],
                    "Dieser Code ist nicht gültig. Bitte prüfen Sie die 12 Zeichen aus Ihrem Brief (z. B. ABCD-EFGH-JKLM).",
                    new Dictionary<string, string> { ["code"] = "letter-code-unknown" }, language: "de", code: "letter-code-unknown");
        }
    }

    public enum Redemption { Redeemed, NoAccount, TooManyFromAddress, TooManyForAccount, Unknown, Used }

    public readonly record struct RedeemOutcome(Redemption Result, string? District = null, TimeSpan? RetryAfter = null);

    /// <summary>
    /// Redeems a letter code for an account: the one implementation behind the JSON API and Identity's residency page. Wrong
    /// codes count per client address (<see cref="AttemptGuard"/>) and per account (<see cref="IdentitySettings.LetterCodeFailuresPerHour"/>).
    /// </summary>
    public static async Task<RedeemOutcome> RedeemForAsync(HttpContext http, Guid userId, string? input, IdentityDb db, IdentitySecrets secrets,
        IdentitySettings settings, FailureLimiter limiter, AttemptGuard guard, TimeProvider time, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return new RedeemOutcome(Redemption.NoAccount);
        }
        var subject = userId.ToString("N");
        if (await guard.CodeRefusedAsync(http) is { } addressWait)
        {
            return new RedeemOutcome(Redemption.TooManyFromAddress, RetryAfter: addressWait);
        }
        if (await limiter.RetryAfterAsync(RateLimitBucket, subject, settings.LetterCodeFailuresPerHour) is { } wait)
        {
            return new RedeemOutcome(Redemption.TooManyForAccount, RetryAfter: wait);
        }

        var now = time.GetUtcNow();
        LetterCode? code = null;
        LetterCodeBatch? batch = null;
        if (OneTimeCodes.Normalize(input) is { } normalized)
        {
            var batches = await db.LetterCodeBatches.AsNoTracking().ToListAsync(ct);
            var candidates = OneTimeCodes.Candidates(secrets.CodePepper, batches.Select(b => b.Salt), normalized);
            if (candidates.Length > 0)
            {
                code = await db.LetterCodes.FirstOrDefaultAsync(c => candidates.Contains(c.CodeHash), ct);
                batch = batches.FirstOrDefault(b => b.Id == code?.BatchId);
            }
        }

        if (code is null || batch is null)
        {
            await guard.CodeFailedAsync(http);
            await RejectAsync(db, limiter, userId, "unknown", now, ct);
            return new RedeemOutcome(Redemption.Unknown);
        }
        if (code.RedeemedAt is not null)
        {
            await RejectAsync(db, limiter, userId, "used", now, ct);
            return new RedeemOutcome(Redemption.Used);
        }

        code.RedeemedAt = now; // concurrency token: only one of two simultaneous redemptions is saved
        code.RedeemedBy = userId;
        var previous = user.ResidentDistrict;
        user.ResidentDistrict = batch.District;
        user.ResidentSince = now;
        AuditLog.Add(db, userId, AuditActions.ResidencyVerified, AuditTargets.User, userId,
            new { district = batch.District, previousDistrict = previous, batchId = batch.Id }, now);
        db.AddOutboxMessage(new UserVerified(userId, VerificationLevels.Resident, batch.District, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            await RejectAsync(db, limiter, userId, "used", now, ct);
            return new RedeemOutcome(Redemption.Used);
        }
        return new RedeemOutcome(Redemption.Redeemed, batch.District);
    }

    private static ProblemHttpResult CodeAlreadyUsed() =>
        Problems.Conflict("Dieser Briefcode wurde schon eingelöst. Jeder Code gilt einmal; wenn Sie das nicht erwartet haben, bitten Sie Ihre Stadt um einen neuen Brief.",
            "letter-code-used", language: "de");

    private static async Task RejectAsync(IdentityDb db, FailureLimiter limiter, Guid userId, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await limiter.RecordFailureAsync(RateLimitBucket, userId.ToString("N"), TimeSpan.FromHours(1));
        AuditLog.Add(db, userId, AuditActions.LetterCodeRejected, AuditTargets.User, userId, new { reason }, now);
        await db.SaveChangesAsync(ct);
    }
}
