using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Web.Api;

public sealed record BallotOption(Guid OptionId, Guid? ItemId, string Title, decimal? Cost, int Position);

public sealed record BallotEligibility(string Kind, string? District, Guid? VotingGroupId, string? VotingGroupName);

/// <param name="State">draft, scheduled, open, closing or closed (Voting's view at the time of the request).</param>
/// <param name="Reason">Voting's code for why not: verification-required, residence-required, district-mismatch, voting-group-required.</param>
public sealed record MyEligibility(Guid BallotId, bool MayVote, string? Reason, string? Message);

public sealed record Ballot(Guid Id, Guid ProcessId, Guid? PhaseId, string Title, string? Description, string Method,
    IReadOnlyList<BallotOption> Options, int? MinSelections, int? MaxSelections, int? MaxScore, int? Dots, int? MaxDotsPerOption,
    decimal? Budget, bool AllowPartialRanking, BallotEligibility? Eligibility, string Visibility, bool FollowsPhase,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, string State, DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt,
    long? FinalVotes, string? FinalDigest)
{
    /// <summary>The state now: Voting's own view, moved on when the known times have passed since it was read.</summary>
    public string CurrentState(DateTimeOffset now) => State switch
    {
        "scheduled" when OpensAt is { } opens && opens <= now && (ClosesAt is null || now < ClosesAt) => "open",
        "open" when ClosesAt is { } end && now >= end => "closing",
        _ => State,
    };

    public string EligibilityKind => Eligibility?.Kind ?? "verified";
}

public sealed record OptionResult(Guid OptionId, Guid? ItemId, string Title, decimal? Cost, long Online, long OnlineVotes, decimal InPerson,
    decimal Total, int Rank, bool Tied, double? Average, bool? Funded);

public sealed record SchulzePlace(Guid OptionId, int Rank);

public sealed record BallotResults(Guid BallotId, string Method, string State, bool Final, long Voters, long InPersonParticipants,
    IReadOnlyList<OptionResult> Options, Guid? CondorcetWinner, IReadOnlyList<SchulzePlace>? Schulze, string? Digest, DateTimeOffset ComputedAt,
    int? Version = null, DateTimeOffset? CorrectedAt = null);

/// <summary>An option as a result version published it.</summary>
public sealed record PublishedOption(Guid OptionId, Guid? ItemId, string Title, decimal Online, decimal InPerson, decimal Total, int? Rank);

/// <param name="Kind">"final" (the close) or "correction".</param>
public sealed record ResultVersion(int Version, string Kind, bool Current, string Digest, string? PreviousDigest, DateTimeOffset PublishedAt,
    string? Reason, long Votes, long InPersonParticipants, IReadOnlyList<PublishedOption> Options);

public sealed record ResultCorrectionRequest(string Source, IReadOnlyList<InPersonLine> Results, string Reason, string? Note, int? Participants,
    Guid? Supersedes);

public sealed record BallotOptionRequest(Guid? ItemId, string? Title, decimal? Cost);

public sealed record CreateBallotRequest(Guid ProcessId, string Title, string Method, IReadOnlyList<BallotOptionRequest> Options,
    Guid? PhaseId, string? Description, int? MinSelections, int? MaxSelections, int? MaxScore, int? Dots, int? MaxDotsPerOption,
    decimal? Budget, bool AllowPartialRanking, BallotEligibility? Eligibility, string Visibility, bool FollowsPhase,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt);

public sealed record InPersonLine(Guid OptionId, decimal Value);

public sealed record InPersonRequest(string Source, IReadOnlyList<InPersonLine> Results, string? Note, int? Participants);

public sealed record InPersonEntry(Guid Id, string Source, string? Note, int? Participants, IReadOnlyList<InPersonLine> Results,
    Guid? Supersedes, Guid? SupersededBy, bool Active, DateTimeOffset CreatedAt);

public sealed record Recount(Guid Id, string Kind, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Matches, long? Votes,
    string? Digest, string? Differences);

/// <summary>Voting: ballots, votes (cast, mine, receipts), results, closing, in-person results and exports.</summary>
public sealed class VotingApi(HttpClient http) : ApiClient(http, "voting")
{
    /// <summary>This service writes its problem texts in German (and gives codes for other languages).</summary>
    protected override string ProblemLanguage => "de";

    public static readonly IReadOnlyList<string> Methods = ["support", "approval", "scoring", "ranking", "cumulative", "budget"];
    public static readonly IReadOnlyList<string> Eligibilities = ["verified", "resident", "voting-group"];
    public static readonly IReadOnlyList<string> Visibilities = ["after-close", "live", "after-vote"];
    public static readonly IReadOnlyList<string> ExportKinds = ["tally", "votes"];
    public static readonly IReadOnlyList<string> ExportFormats = ["csv-de", "csv", "xlsx", "json", "pb"];

    public Task<ApiResult<List<Ballot>>> BallotsAsync(Guid? processId, CancellationToken ct) =>
        GetAsync<List<Ballot>>(Query("/ballots", ("processId", processId)), ct);

    public Task<ApiResult<Ballot>> BallotAsync(Guid id, CancellationToken ct) => GetAsync<Ballot>($"/ballots/{id}", ct);

    public Task<ApiResult<VoteReceipt>> CastAsync(Guid ballotId, CastVoteRequest request, string idempotencyKey, CancellationToken ct)
    {
        var message = WithJson(HttpMethod.Post, $"/ballots/{ballotId}/votes", request);
        message.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return SendAsync<VoteReceipt>(message, ct);
    }

    public Task<ApiResult<MyVote>> MyVoteAsync(Guid ballotId, CancellationToken ct) => GetAsync<MyVote>($"/ballots/{ballotId}/votes/me", ct);

    /// <summary>Whether the signed-in person may vote in the ballot, and if not why (Voting decides; the page only says it).</summary>
    public Task<ApiResult<MyEligibility>> MyEligibilityAsync(Guid ballotId, CancellationToken ct) =>
        GetAsync<MyEligibility>($"/ballots/{ballotId}/eligibility/me", ct);

    public Task<ApiResult<ReceiptStatus>> ReceiptAsync(Guid ballotId, string hash, CancellationToken ct) =>
        GetAsync<ReceiptStatus>($"/ballots/{ballotId}/receipts/{Uri.EscapeDataString(hash)}", ct);

    public Task<ApiResult<BallotResults>> ResultsAsync(Guid ballotId, CancellationToken ct) => GetAsync<BallotResults>($"/ballots/{ballotId}/results", ct);

    public Task<ApiResult<List<ResultVersion>>> ResultVersionsAsync(Guid ballotId, CancellationToken ct) =>
        GetAsync<List<ResultVersion>>($"/ballots/{ballotId}/results/versions", ct);

    // Staff -------------------------------------------------------------------------------------

    public Task<ApiResult<Ballot>> CreateBallotAsync(CreateBallotRequest request, CancellationToken ct) => PostAsync<Ballot>("/ballots", request, ct);

    public Task<ApiResult<Ballot>> OpenBallotAsync(Guid id, CancellationToken ct) => PostAsync<Ballot>($"/ballots/{id}/open", null, ct);

    public Task<ApiResult<Ballot>> CloseBallotAsync(Guid id, CancellationToken ct) => SendAsync<Ballot>(Slow(new HttpRequestMessage(HttpMethod.Post, $"/ballots/{id}/close")), ct);

    public Task<ApiResult<Ballot>> ExtendBallotAsync(Guid id, DateTimeOffset closesAt, CancellationToken ct) =>
        PostAsync<Ballot>($"/ballots/{id}/extend", new { closesAt }, ct);

    public Task<ApiResult<Done>> ImportInPersonAsync(Guid id, InPersonRequest request, CancellationToken ct) =>
        PostAsync<Done>($"/ballots/{id}/in-person-results", request, ct);

    public Task<ApiResult<List<InPersonEntry>>> InPersonEntriesAsync(Guid id, CancellationToken ct) =>
        GetAsync<List<InPersonEntry>>($"/ballots/{id}/in-person-results", ct);

    public Task<ApiResult<ResultVersion>> CorrectResultAsync(Guid id, ResultCorrectionRequest request, CancellationToken ct) =>
        PostAsync<ResultVersion>($"/ballots/{id}/results/corrections", request, ct);

    public Task<ApiResult<Recount>> RecountAsync(Guid id, CancellationToken ct) => SendAsync<Recount>(Slow(new HttpRequestMessage(HttpMethod.Post, $"/ballots/{id}/recount")), ct);

    public Task<ApiResult<List<Recount>>> RecountsAsync(Guid id, CancellationToken ct) => GetAsync<List<Recount>>($"/ballots/{id}/recounts", ct);

    /// <summary>kind: tally | votes; format: csv-de, csv, xlsx, json, pb (budget only).</summary>
    public Task<(ApiFile? File, ApiProblem? Problem)> ExportAsync(Guid id, string kind, string format, CancellationToken ct) =>
        DownloadAsync(Slow(new HttpRequestMessage(HttpMethod.Get,
            $"/ballots/{id}/exports/{Uri.EscapeDataString(kind)}?format={Uri.EscapeDataString(format)}")), ct);
    // Surveys (Umfragen) ------------------------------------------------------------------------

    public static readonly IReadOnlyList<string> SurveyExportFormats = ["csv-de", "csv", "xlsx"];

    public Task<ApiResult<List<SurveyView>>> SurveysAsync(Guid processId, CancellationToken ct) =>
        GetAsync<List<SurveyView>>(Query("/surveys", ("processId", processId)), ct);

    public Task<ApiResult<SurveyView>> SurveyAsync(Guid id, CancellationToken ct) => GetAsync<SurveyView>($"/surveys/{id}", ct);

    public Task<ApiResult<SurveyView>> CreateSurveyAsync(SurveyRequest request, CancellationToken ct) => PostAsync<SurveyView>("/surveys", request, ct);

    /// <summary>Replaces a draft's settings and questions (Voting refuses it once the survey is open).</summary>
    public Task<ApiResult<SurveyView>> UpdateSurveyAsync(Guid id, SurveyRequest request, CancellationToken ct) => PutAsync<SurveyView>($"/surveys/{id}", request, ct);

    public Task<ApiResult<SurveyView>> OpenSurveyAsync(Guid id, CancellationToken ct) => PostAsync<SurveyView>($"/surveys/{id}/open", null, ct);

    public Task<ApiResult<SurveyView>> CloseSurveyAsync(Guid id, CancellationToken ct) => PostAsync<SurveyView>($"/surveys/{id}/close", null, ct);

    public Task<ApiResult<SurveySubmission>> AnswerSurveyAsync(Guid id, SurveyAnswersRequest request, CancellationToken ct) =>
        PostAsync<SurveySubmission>($"/surveys/{id}/answers", request, ct);

    public Task<ApiResult<MySurveyStatus>> MySurveyStatusAsync(Guid id, CancellationToken ct) => GetAsync<MySurveyStatus>($"/surveys/{id}/answers/me", ct);

    public Task<ApiResult<SurveyResults>> SurveyResultsAsync(Guid id, CancellationToken ct) => GetAsync<SurveyResults>($"/surveys/{id}/results", ct);

    /// <summary>format: csv-de, csv, xlsx (staff).</summary>
    public Task<(ApiFile? File, ApiProblem? Problem)> SurveyExportAsync(Guid id, string format, CancellationToken ct) =>
        DownloadAsync(Slow(new HttpRequestMessage(HttpMethod.Get, $"/surveys/{id}/export?format={Uri.EscapeDataString(format)}")), ct);
}
