using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Web.Api;

/// <summary>What the web reads from a ballot besides its fields.</summary>
public static class BallotViewExtensions
{
    /// <summary>The state now: Voting's own view, moved on when the known times have passed since it was read.</summary>
    public static BallotState CurrentState(this BallotView ballot, DateTimeOffset now) => ballot.State switch
    {
        BallotState.Scheduled when ballot.OpensAt is { } opens && opens <= now && (ballot.ClosesAt is null || now < ballot.ClosesAt) => BallotState.Open,
        BallotState.Open when ballot.ClosesAt is { } end && now >= end => BallotState.Closing,
        _ => ballot.State,
    };
}

/// <summary>Voting: ballots, votes (cast, mine, receipts), results, closing, in-person results and exports.</summary>
public sealed class VotingApi(HttpClient http) : ApiClient(http, "voting")
{
    /// <summary>This service writes its problem texts in German (and gives codes for other languages).</summary>
    protected override string ProblemLanguage => "de";

    public static readonly IReadOnlyList<string> Methods = WireCode.All<VotingMethod>();
    public static readonly IReadOnlyList<string> Eligibilities = WireCode.All<EligibilityKind>();
    /// <summary>The default (results after the close) first.</summary>
    public static readonly IReadOnlyList<string> Visibilities =
        [.. new[] { ResultVisibility.AfterClose, ResultVisibility.Live, ResultVisibility.AfterVote }.Select(WireCode.Of)];
    public static readonly IReadOnlyList<string> ExportKinds = ["tally", "votes"];
    public static readonly IReadOnlyList<string> ExportFormats = ["csv-de", "csv", "xlsx", "json", "pb"];

    public Task<ApiResult<List<BallotView>>> BallotsAsync(Guid? processId, CancellationToken ct) =>
        GetAsync<List<BallotView>>(Query("/ballots", ("processId", processId)), ct);

    public Task<ApiResult<BallotView>> BallotAsync(Guid id, CancellationToken ct) => GetAsync<BallotView>($"/ballots/{id}", ct);

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

    public Task<ApiResult<ResultsView>> ResultsAsync(Guid ballotId, CancellationToken ct) => GetAsync<ResultsView>($"/ballots/{ballotId}/results", ct);

    public Task<ApiResult<List<ResultVersionView>>> ResultVersionsAsync(Guid ballotId, CancellationToken ct) =>
        GetAsync<List<ResultVersionView>>($"/ballots/{ballotId}/results/versions", ct);

    // Staff -------------------------------------------------------------------------------------

    public Task<ApiResult<BallotView>> CreateBallotAsync(BallotInput request, CancellationToken ct) => PostAsync<BallotView>("/ballots", request, ct);

    public Task<ApiResult<BallotView>> OpenBallotAsync(Guid id, CancellationToken ct) => PostAsync<BallotView>($"/ballots/{id}/open", null, ct);

    public Task<ApiResult<BallotView>> CloseBallotAsync(Guid id, CancellationToken ct) => SendAsync<BallotView>(Slow(new HttpRequestMessage(HttpMethod.Post, $"/ballots/{id}/close")), ct);

    public Task<ApiResult<BallotView>> ExtendBallotAsync(Guid id, DateTimeOffset closesAt, CancellationToken ct) =>
        PostAsync<BallotView>($"/ballots/{id}/extend", new ExtendInput(closesAt), ct);

    public Task<ApiResult<Done>> ImportInPersonAsync(Guid id, InPersonInput request, CancellationToken ct) =>
        PostAsync<Done>($"/ballots/{id}/in-person-results", request, ct);

    public Task<ApiResult<List<InPersonView>>> InPersonEntriesAsync(Guid id, CancellationToken ct) =>
        GetAsync<List<InPersonView>>($"/ballots/{id}/in-person-results", ct);

    public Task<ApiResult<ResultVersionView>> CorrectResultAsync(Guid id, ResultCorrectionInput request, CancellationToken ct) =>
        PostAsync<ResultVersionView>($"/ballots/{id}/results/corrections", request, ct);

    public Task<ApiResult<RecountView>> RecountAsync(Guid id, CancellationToken ct) => SendAsync<RecountView>(Slow(new HttpRequestMessage(HttpMethod.Post, $"/ballots/{id}/recount")), ct);

    public Task<ApiResult<List<RecountView>>> RecountsAsync(Guid id, CancellationToken ct) => GetAsync<List<RecountView>>($"/ballots/{id}/recounts", ct);

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
