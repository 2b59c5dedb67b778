using System.Globalization;
using System.Text;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.Exports;

/// <summary>
/// pabulib (.pb, the participatory budgeting library's format): META, PROJECTS and VOTES, ';'-separated. Every method
/// has its pabulib vote type: support, approval and budget → "approval" (a list of projects); ranking → "ordinal"
/// (projects from most to least preferred); scoring → "scoring" and cumulative → "cumulative" (projects with their
/// points in a "points" column). A ballot without costs gives each option the cost 1 and a budget that funds all of
/// them, since pabulib requires both. Voters appear by their export pseudonym, never the voter key.
/// </summary>
internal static class PabulibExport
{
    public static string VoteType(VotingMethod method) => method switch
    {
        VotingMethod.Ranking => "ordinal",
        VotingMethod.Scoring => "scoring",
        VotingMethod.Cumulative => "cumulative",
        _ => "approval",
    };

    public static async Task WriteAsync(Stream output, BallotSnapshot ballot, byte[] exportKey, Npgsql.NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var (all, _, _, _) = await ExportsApi.CountAsync(ballot, dataSource, ct);
        var rules = ballot.Rules;
        var voteType = VoteType(ballot.Method);
        var withPoints = voteType is "scoring" or "cumulative";
        var costs = ballot.Options.ToDictionary(o => o.OptionId, o => o.Cost ?? 1m);
        var budget = ballot.Method == VotingMethod.Budget && rules.Budget is { } b ? b : costs.Values.Sum();

        var meta = new List<(string Key, string Value)>
        {
            ("description", Clean(ballot.Title)),
            ("country", "Germany"),
            ("unit", ballot.ProcessId.ToString()),
            ("instance", ballot.Id.ToString()),
            ("num_projects", Number(ballot.Options.Count)),
            ("num_votes", Number(all.Voters)),
            ("budget", Number(budget)),
            ("vote_type", voteType),
            ("rule", ballot.Method == VotingMethod.Ranking ? "borda" : "greedy"),
            ("date_begin", ballot.OpensAt is { } opens ? opens.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) : ""),
            ("date_end", ballot.ClosesAt is { } closes ? closes.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) : ""),
            ("language", "de"),
        };
        if (rules.MinSelections is { } min)
        {
            meta.Add(("min_length", Number(min)));
        }
        if (rules.MaxSelections is { } max)
        {
            meta.Add(("max_length", Number(max)));
        }
        switch (ballot.Method)
        {
            case VotingMethod.Scoring:
                meta.Add(("min_points", "0"));
                meta.Add(("max_points", Number(rules.MaxScore ?? 0)));
                break;
            case VotingMethod.Cumulative:
                meta.Add(("max_points", Number(rules.MaxDotsPerOption ?? rules.Dots ?? 0)));
                meta.Add(("max_sum_points", Number(rules.Dots ?? 0)));
                break;
            case VotingMethod.Ranking:
                meta.Add(("scoring_fn", "Borda"));
                break;
        }

        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync("META\nkey;value\n");
        foreach (var (key, value) in meta)
        {
            await writer.WriteAsync($"{key};{value}\n");
        }
        await writer.WriteAsync(voteType == "approval" ? "PROJECTS\nproject_id;cost;votes;name\n" : "PROJECTS\nproject_id;cost;votes;score;name\n");
        foreach (var option in ballot.Options)
        {
            var tally = all[option.OptionId];
            var score = voteType == "approval" ? "" : Number(tally.Score) + ";";
            await writer.WriteAsync($"{option.OptionId:N};{Number(costs[option.OptionId])};{Number(tally.Votes)};{score}{Clean(option.Title)}\n");
        }
        await writer.WriteAsync(withPoints ? "VOTES\nvoter_id;vote;points;neighborhood\n" : "VOTES\nvoter_id;vote;neighborhood\n");
        var count = 0;
        await foreach (var vote in ExportsApi.StreamVotesAsync(ballot.Id, exportKey, dataSource, ct))
        {
            var choices = Choices.Parse(vote.Choices);
            var line = new StringBuilder(vote.Pseudonym).Append(';');
            if (voteType == "ordinal")
            {
                line.AppendJoin(',', choices.RankingOrder().Select(id => id.ToString("N")));
            }
            else if (withPoints)
            {
                // Cumulative ballots count no zero-dot entries; scoring ballots keep a 0 as a rating.
                var entries = choices.Entries.Where(e => voteType == "scoring" || e.Value != 0).ToList();
                line.AppendJoin(',', entries.Select(e => e.OptionId.ToString("N"))).Append(';');
                line.Append(entries.Count == 0 ? "none" : string.Join(',', entries.Select(e => Number(e.Value))));
            }
            else
            {
                line.AppendJoin(',', choices.Entries.Select(e => e.OptionId.ToString("N")));
            }
            line.Append(';').Append(Clean(vote.District ?? "")).Append('\n');
            await writer.WriteAsync(line.ToString());
            if (++count % 2000 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }
        await writer.FlushAsync(ct);
    }

    private static string Number(decimal value) => CsvExport.Format(value, german: false);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Clean(string text) => text.Replace(';', ',').Replace('\n', ' ').Replace('\r', ' ');
}
