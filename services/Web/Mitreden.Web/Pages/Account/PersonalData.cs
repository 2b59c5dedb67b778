using System.Text.Json;
using System.Text.Json.Nodes;
using Mitreden.Web.Api;

namespace Mitreden.Web.Pages.Account;

/// <summary>
/// "Meine Daten": each service answers for its own part (GET /me/export, with the person's own token); the web asks
/// all five at once and puts the answers side by side, unchanged. Nothing crosses from one service to another.
/// If one service cannot answer, there is no download: an export that silently lacks a part would mislead.
/// </summary>
public sealed class PersonalData(IdentityApi identity, ProposalsApi proposals, CommentsApi comments, VotingApi voting, ModerationApi moderation)
{
    /// <summary>The parts in the order the download and the readable page show them (also the JSON property names).</summary>
    public static readonly IReadOnlyList<string> Parts = ["identity", "proposals", "comments", "voting", "moderation"];

    public sealed record Result(JsonObject? Export, IReadOnlyList<(string Part, ApiProblem Problem)> Failures);

    public async Task<Result> CollectAsync(TimeProvider time, CancellationToken ct)
    {
        ApiClient[] clients = [identity, proposals, comments, voting, moderation];
        var answers = await Task.WhenAll(clients.Select(c => c.PersonalDataAsync(ct)));
        var failures = answers.Select((a, i) => (Parts[i], a)).Where(x => !x.a.Ok).Select(x => (x.Item1, x.a.Problem!)).ToList();
        if (failures.Count > 0)
        {
            return new Result(null, failures);
        }
        var export = new JsonObject { ["exportedAt"] = time.GetUtcNow() };
        for (var i = 0; i < Parts.Count; i++)
        {
            export[Parts[i]] = JsonNode.Parse(answers[i].Value!.GetRawText());
        }
        return new Result(export, []);
    }

    public static byte[] ToJson(JsonObject export) =>
        JsonSerializer.SerializeToUtf8Bytes(export, new JsonSerializerOptions { WriteIndented = true });
}
