using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Time;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Features.Ballots;
using Mitreden.Voting.Api.Pipeline;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Votes;

public static class VotesApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapVotesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ballots/{id:guid}").WithTags("Votes");
        // Voter: an account holder or the holder of a voting code (for voting-group ballots).
        group.MapPost("/votes", CastAsync).RequireAuthorization(AuthPolicies.Voter)
            .ProducesProblems(400, 401, 403, 404, 409, 422, 503);
        group.MapGet("/votes/me", MineAsync).RequireAuthorization(AuthPolicies.Voter).ProducesProblems(401, 403, 404);
        group.MapGet("/eligibility/me", MyEligibilityAsync).RequireAuthorization(AuthPolicies.Voter).ProducesProblems(401, 403, 404)
            .WithSummary("Whether the caller may vote in this ballot by its eligibility rule, and if not why (a stable reason code and German text), before any form is filled in.");
        group.MapGet("/receipts/{hash}", ReceiptAsync).AllowAnonymous().ProducesProblems(400, 404);
        return app;
    }

    /// <summary>The stored choices as the owner sees them, in the field of the ballot's method.</summary>
    internal static VoteChoices ChoicesOf(VotingMethod method, Choices choices) => method switch
    {
        VotingMethod.Scoring or VotingMethod.Cumulative =>
            new VoteChoices(null, choices.Entries.ToDictionary(e => e.OptionId, e => e.Value), null),
        VotingMethod.Ranking => new VoteChoices(null, null, choices.RankingOrder()),
        _ => new VoteChoices(choices.Entries.Select(e => e.OptionId).ToList(), null, null),
    };

    /// <summary>422 at "choices": Voting's German messages, and the code of the first broken rule in errorCodes for clients' own words.</summary>
    private static ProblemHttpResult InvalidChoices(IReadOnlyList<VoteRuleError> errors, string? detail = null) =>
        Problems.Invalid([new KeyValuePair<string, string[]>("choices", errors.Select(e => e.Message).ToArray())], detail,
            new Dictionary<string, string> { ["choices"] = errors[0].Code });

    internal static (Choices? Choices, VoteRuleError? Error) ToChoices(BallotSnapshot ballot, CastVoteRequest request)
    {
        var method = ballot.Method;
        (Choices? Choices, VoteRuleError? Error) result = method switch
        {
            VotingMethod.Support or VotingMethod.Approval or VotingMethod.Budget when request.Selected is { } selected
                && request.Points is null && request.Ranking is null => Coded(Choices.FromSelection(selected)),
            VotingMethod.Scoring or VotingMethod.Cumulative when request.Points is { } points
                && request.Selected is null && request.Ranking is null => Coded(Choices.FromPoints(points)),
            VotingMethod.Ranking when request.Ranking is { } ranking
                && request.Selected is null && request.Points is null => Coded(Choices.FromRanking(ranking)),
            VotingMethod.Scoring or VotingMethod.Cumulative => (null, new(VoteErrorCodes.Missing, "Bitte geben Sie die Punkte je Option in \"points\" an.")),
            VotingMethod.Ranking => (null, new(VoteErrorCodes.Missing, "Bitte geben Sie die Rangfolge in \"ranking\" an.")),
            _ => (null, new(VoteErrorCodes.Missing, "Bitte geben Sie die gewählten Optionen in \"selected\" an.")),
        };
        return result.Choices is null ? result : (VoteRules.Normalize(ballot.Rules, result.Choices), null);

        // The only way the shape of choices is wrong once the method's field is there: an option twice.
        static (Choices?, VoteRuleError?) Coded((Choices? Choices, string? Error) parsed) =>
            (parsed.Choices, parsed.Error is null ? null : new VoteRuleError(VoteErrorCodes.Duplicate, parsed.Error));
    }

    private static async Task<Results<Accepted<VoteReceipt>, ProblemHttpResult>> CastAsync(Guid id, CastVoteRequest request, HttpContext http, ClaimsPrincipal user,
        BallotCache ballots, ProcessGate gate, VoterKeys voterKeys, VotePublisher publisher, VoteAcceptanceStore store, AcceptedVotes accepted,
        TimeProvider time, ILoggerFactory loggers)
    {
        var now = time.GetUtcNow();
        // A refusal is checked against the database once more (GetCheckedAsync), so a copy that missed a change
        // (ballot opened, phase switched on again) does not refuse wrongly.
        var ballot = await ballots.GetCheckedAsync(id,
            b => b is null || b.Status == Data.BallotStatus.Draft || b.StateAt(now) == BallotState.Scheduled || b.PhaseRefusalAt(now) is not null,
            http.RequestAborted);
        if (ballot is null || ballot.Status == Data.BallotStatus.Draft || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, http.RequestAborted))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        switch (ballot.StateAt(now))
        {
            case BallotState.Scheduled:
                return Problems.Conflict(ballot.OpensAt is { } opens
                    ? $"Die Abstimmung beginnt erst am {CityTime.ToLocal(opens):dd.MM.yyyy 'um' HH:mm} Uhr."
                    : "Die Abstimmung ist noch nicht geöffnet.", "not-open-yet");
            case BallotState.Closing or BallotState.Closed:
                return Problems.Conflict("Die Abstimmung ist beendet; Stimmen können nicht mehr abgegeben oder geändert werden.", "closed");
        }
        if (ballot.PhaseRefusalAt(now) is { } phaseRefusal)
        {
            return Problems.Conflict(PhaseGate.Message(phaseRefusal), phaseRefusal);
        }
        if (Eligibility.Check(ballot, user) is { } refusal)
        {
            return Problems.Forbidden(refusal.Message, refusal.Reason);
        }

        var idempotencyKey = http.Request.Headers[IdempotencyHeader].ToString();
        if (idempotencyKey.Length > 100 || (idempotencyKey.Length > 0 && !idempotencyKey.All(c => c is >= '!' and <= '~')))
        {
            return Problems.BadRequest("Der Idempotency-Key darf höchstens 100 sichtbare ASCII-Zeichen lang sein.", "invalid-idempotency-key");
        }

        var (choices, shapeError) = ToChoices(ballot, request);
        if (choices is null)
        {
            return InvalidChoices([shapeError!]);
        }
        var errors = VoteRules.Check(ballot.Rules, choices);
        if (errors.Count > 0)
        {
            return InvalidChoices(errors, "Die Stimme entspricht nicht den Regeln dieser Abstimmung.");
        }

        var voterKey = voterKeys.For(user.UserId(), ballot.Id);
        var voterHex = VoterKeys.Hex(voterKey);
        var canonical = choices.ToCanonical();
        var voteId = idempotencyKey.Length > 0 ? VoteIds.FromIdempotencyKey(voterKey, idempotencyKey) : Guid.CreateVersion7();
        var message = new VoteMessage(voteId, ballot.Id, voterHex, VoteSequence.Next(time), canonical, user.District());
        var body = message.ToBytes();
        var receipt = new StoredReceipt(voteId, message.Sequence, message.ReceiptHash, canonical, Convert.ToBase64String(body));
        var countAsNew = true;

        if (idempotencyKey.Length > 0)
        {
            try
            {
                var (reserved, existing) = await store.ReserveAsync(voterHex, idempotencyKey, receipt);
                if (!reserved && existing is not null)
                {
                    if (existing.Choices != canonical)
                    {
                        return InvalidChoices([new(VoteErrorCodes.IdempotencyKeyReused, "Dieser Idempotency-Key wurde bereits für eine andere Stimme verwendet.")]);
                    }
                    // A retry: publish exactly the first message again (the consumer keeps one copy) and answer alike.
                    receipt = existing;
                    body = Convert.FromBase64String(existing.Message);
                    countAsNew = false;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                loggers.CreateLogger(typeof(VotesApi)).LogWarning(ex, "Idempotency store unavailable; relying on the consumer's dedupe by vote id");
            }
        }

        try
        {
            await publisher.PublishVoteAsync(body, receipt.VoteId, http.RequestAborted);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(VotesApi)).LogError(ex, "Vote for ballot {BallotId} not confirmed by the broker", ballot.Id);
            http.Response.Headers.RetryAfter = "2";
            return Problems.Unavailable("Ihre Stimme konnte gerade nicht sicher gespeichert werden. Bitte versuchen Sie es gleich noch einmal.");
        }
        // Counted for the close before the 202 (PostgreSQL, group commit); Redis keeps the receipt and "pending".
        var counting = countAsNew ? accepted.CountAsync(ballot.Id, http.RequestAborted) : Task.CompletedTask;
        await store.AcceptedAsync(ballot.Id, voterHex, receipt, countAsNew);
        await counting;
        if (countAsNew)
        {
            VoteTelemetry.Accepted.Add(1);
        }

        return TypedResults.Accepted($"/ballots/{ballot.Id}/receipts/{receipt.ReceiptHash}",
            new VoteReceipt(receipt.VoteId, receipt.Sequence, receipt.ReceiptHash, "pending"));
    }

    /// <summary>
    /// The eligibility check of <see cref="CastAsync"/> on its own, so a page can say before the form who may vote
    /// and why not the caller. Only the rule (who may vote) is answered here; whether the ballot is open is in its details.
    /// </summary>
    private static async Task<Results<Ok<MyEligibility>, ProblemHttpResult>> MyEligibilityAsync(Guid id, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate,
        CancellationToken ct)
    {
        var ballot = await ballots.GetCheckedAsync(id, b => b is null || b.Status == Data.BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == Data.BallotStatus.Draft || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, ct))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        var refusal = Eligibility.Check(ballot, user);
        return TypedResults.Ok(new MyEligibility(id, refusal is null, refusal?.Reason, refusal?.Message,
            new EligibilityInput(ballot.Eligibility, ballot.EligibleDistrict, ballot.VotingGroupId, ballot.VotingGroupName)));
    }

    private static async Task<Results<Ok<MyVote>, ProblemHttpResult>> MineAsync(Guid id, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate, VoterKeys voterKeys,
        VoteAcceptanceStore store, NpgsqlDataSource db, CancellationToken ct)
    {
        var ballot = await ballots.GetCheckedAsync(id, b => b is null || b.Status == Data.BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == Data.BallotStatus.Draft || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, ct))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        var voterKey = voterKeys.For(user.UserId(), id);
        var voterHex = VoterKeys.Hex(voterKey);
        await using var connection = await db.OpenConnectionAsync(ct);
        var current = await connection.QuerySingleOrDefaultAsync<(Guid VoteId, long Sequence, string Choices)?>(
            "SELECT vote_id, sequence, choices FROM current_votes WHERE ballot_id = @id AND voter_key = @voterKey",
            new { id, voterKey });
        var pending = await store.PendingAsync(id, voterHex);
        if (pending is not null && (current is null || VoteSequence.IsNewer(pending.Sequence, pending.VoteId, current.Value.Sequence, current.Value.VoteId)))
        {
            var consumed = await connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM vote_log WHERE vote_id = @voteId)", new { voteId = pending.VoteId });
            if (!consumed)
            {
                return TypedResults.Ok(new MyVote("pending", ChoicesOf(ballot.Method, Choices.Parse(pending.Choices)),
                    new VoteReceipt(pending.VoteId, pending.Sequence, pending.ReceiptHash, "pending"), VoteSequence.ToTime(pending.Sequence)));
            }
        }
        if (current is not { } vote)
        {
            return TypedResults.Ok(new MyVote("none", null, null, null));
        }
        var hash = Receipts.Hash(id, voterHex, vote.Sequence, vote.Choices);
        return TypedResults.Ok(new MyVote("counted", ChoicesOf(ballot.Method, Choices.Parse(vote.Choices)),
            new VoteReceipt(vote.VoteId, vote.Sequence, hash, "counted"), VoteSequence.ToTime(vote.Sequence)));
    }

    private static async Task<Results<Ok<ReceiptStatus>, ProblemHttpResult>> ReceiptAsync(Guid id, string hash, ClaimsPrincipal user, BallotCache ballots, ProcessGate gate,
        VoteAcceptanceStore store, NpgsqlDataSource db, CancellationToken ct)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
        {
            return Problems.BadRequest("Ein Beleg ist ein SHA-256-Wert aus 64 Hex-Zeichen.", "invalid-receipt");
        }
        hash = hash.ToLowerInvariant();
        var ballot = await ballots.GetCheckedAsync(id, b => b is null || b.Status == Data.BallotStatus.Draft, ct);
        if (ballot is null || ballot.Status == Data.BallotStatus.Draft || !await gate.MaySeeAsync(ballot.ProcessId, ballot.PhaseId, user, ct))
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QueryFirstOrDefaultAsync<(Guid BallotId, string? Rejected, bool IsCurrent)?>(
            """
            SELECT l.ballot_id, l.rejected_reason, coalesce(c.vote_id = l.vote_id, false)
            FROM vote_log l LEFT JOIN current_votes c ON c.ballot_id = l.ballot_id AND c.voter_key = l.voter_key
            WHERE l.receipt_hash = @hash AND l.ballot_id = @id
            """, new { hash = Convert.FromHexString(hash), id });
        if (row is { } found)
        {
            var status = found.Rejected is not null ? "rejected" : found.IsCurrent ? "counted" : "superseded";
            return TypedResults.Ok(new ReceiptStatus(id, hash, status, found.Rejected));
        }
        if (await store.ReceiptBallotAsync(hash) == id)
        {
            return TypedResults.Ok(new ReceiptStatus(id, hash, "pending", null));
        }
        return Problems.NotFound("Zu diesem Beleg ist keine Stimme bekannt.");
    }
}
