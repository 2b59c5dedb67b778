using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Features.Votes;
using Mitreden.Voting.Api.Pipeline;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Features.PersonalData;

/// <param name="ReceiptHash">The same receipt the ballot page shows; with it anyone can check that this vote is counted.</param>
public sealed record MyVoteRecord(Guid BallotId, string BallotTitle, string Method, VoteChoices Choices, DateTimeOffset CastAt,
    string ReceiptHash);

public sealed record MyInPersonEntryRecord(Guid Id, Guid BallotId, string Source, int? Participants, DateTimeOffset CreatedAt);

public sealed record MyResultVersionRecord(Guid BallotId, int Version, string Kind, DateTimeOffset CreatedAt);

/// <summary>An answer to an account-bound survey (anonymous surveys keep no link to the account, so they cannot be listed).</summary>
public sealed record MySurveyResponseRecord(Guid SurveyId, string SurveyTitle, DateTimeOffset SubmittedAt);

/// <summary>
/// What Voting keeps about one person (GDPR Art. 15/20). No table holds an account id for votes: they are found
/// through the pseudonymous voter key, which only this service can compute from the account and the ballot. For
/// staff, the in-person entries and result versions they recorded. Answers to account-bound surveys.
/// </summary>
public sealed record VotingPersonalData(DateTimeOffset ExportedAt, IReadOnlyList<MyVoteRecord> Votes,
    IReadOnlyList<MyInPersonEntryRecord> InPersonEntries, IReadOnlyList<MyResultVersionRecord> ResultVersions,
    IReadOnlyList<MySurveyResponseRecord> SurveyResponses);

public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalDataApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me/export", ExportAsync).RequireAuthorization(AuthPolicies.Citizen).WithTags("Personal data");
        return app;
    }

    private static async Task<Ok<VotingPersonalData>> ExportAsync(HttpContext http, VotingDb db, VoterKeys voterKeys, NpgsqlDataSource dataSource,
        TimeProvider time, CancellationToken ct)
    {
        var me = http.User.UserId();
        var ballots = await db.Ballots.AsNoTracking().Where(b => b.Status != BallotStatus.Draft)
            .Select(b => new { b.Id, b.Title, b.Method }).ToListAsync(ct);
        var byId = ballots.ToDictionary(b => b.Id);
        var keys = ballots.Select(b => voterKeys.For(me, b.Id)).ToArray();
        var votes = new List<MyVoteRecord>();
        if (ballots.Count > 0)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("""
                SELECT c.ballot_id, c.voter_key, c.sequence, c.choices
                FROM unnest($1::uuid[], $2::bytea[]) AS k(ballot_id, voter_key)
                JOIN current_votes c ON c.ballot_id = k.ballot_id AND c.voter_key = k.voter_key
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = ballots.Select(b => b.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = keys });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var ballot = byId[reader.GetGuid(0)];
                var voterKey = (byte[])reader[1];
                var sequence = reader.GetInt64(2);
                var choices = reader.GetString(3);
                votes.Add(new MyVoteRecord(ballot.Id, ballot.Title, ballot.Method.ToString(), VotesApi.ChoicesOf(ballot.Method, Choices.Parse(choices)),
                    VoteSequence.ToTime(sequence), Receipts.Hash(ballot.Id, VoterKeys.Hex(voterKey), sequence, choices)));
            }
        }
        var entries = await db.InPersonEntries.AsNoTracking().Where(e => e.CreatedBy == me).OrderBy(e => e.CreatedAt)
            .Select(e => new MyInPersonEntryRecord(e.Id, e.BallotId, e.Source, e.Participants, e.CreatedAt)).ToListAsync(ct);
        var versions = await db.ResultVersions.AsNoTracking().Where(v => v.CreatedBy == me).OrderBy(v => v.CreatedAt)
            .Select(v => new MyResultVersionRecord(v.BallotId, v.Version, v.Kind, v.CreatedAt)).ToListAsync(ct);
        var surveyResponses = await (
            from r in db.SurveyResponses.AsNoTracking()
            join s in db.Surveys.AsNoTracking() on r.SurveyId equals s.Id
            where r.AccountId == me
            orderby r.SubmittedAt
            select new MySurveyResponseRecord(s.Id, s.Title, r.SubmittedAt)).ToListAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new VotingPersonalData(time.GetUtcNow(), votes.OrderBy(v => v.CastAt).ToList(), entries, versions, surveyResponses));
    }
}
