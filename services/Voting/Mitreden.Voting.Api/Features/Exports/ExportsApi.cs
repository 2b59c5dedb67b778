using System.Text;
using System.Text.Json;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Exports;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Features.Results;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Exports;

/// <summary>
/// Exports for staff, streamed from PostgreSQL: "tally" (per option: online, in person, total, and online per district)
/// and "votes" (votes by voter). Formats: csv-de, csv, xlsx, json, and pb (pabulib). Refused where the results are not
/// public yet (hidden until close, or only for voters).
/// The votes export is receipt-free: a row holds an export pseudonym (not the voter key, which would let a voter
/// recompute their receipt hash for each row), the district and the choices — no sequence, no time — and rows come
/// ordered by the pseudonym, an order unrelated to when anyone voted. German headers in csv-de and xlsx.
/// </summary>
public static class ExportsApi
{
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ballots/{id:guid}/exports/{kind}", ExportAsync).WithTags("Exports").RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<IResult> ExportAsync(Guid id, string kind, string? format, HttpContext http, BallotCache cache,
        ResultAccess access, VoterKeys voterKeys, NpgsqlDataSource dataSource, ILoggerFactory loggers)
    {
        var ct = http.RequestAborted;
        var ballot = await cache.GetAsync(id, ct);
        if (ballot is null || ballot.Status == BallotStatus.Draft)
        {
            return Problems.NotFound("Diese Abstimmung gibt es nicht.");
        }
        if (kind is not ("tally" or "votes"))
        {
            return Problems.NotFound("Exporte gibt es als \"tally\" (Ergebnis je Option) und \"votes\" (Stimmen je pseudonymem Wähler).");
        }
        format ??= "csv-de";
        if (format is not ("csv-de" or "csv" or "xlsx" or "json" or "pb"))
        {
            return Problems.BadRequest("Formate: csv-de, csv, xlsx, json, pb.", "unknown-format");
        }
        if (access.CheckExport(ballot) is { } denial)
        {
            return Problems.Forbidden(denial.Message, denial.Reason);
        }
        loggers.CreateLogger(typeof(ExportsApi)).LogInformation("Audit: export {Kind} ({Format}) of ballot {BallotId} by {UserId}",
            kind, format, id, http.User.UserId());

        var name = $"abstimmung-{id:N}-{kind}";
        var (contentType, extension) = format switch
        {
            "csv-de" or "csv" => ("text/csv; charset=utf-8", "csv"),
            "xlsx" => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            "json" => ("application/json; charset=utf-8", "json"),
            _ => ("text/plain; charset=utf-8", "pb"),
        };
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.{extension}\"";
        var output = http.Response.Body;
        var exportKey = voterKeys.ExportKey(ballot.Id);

        if (format == "pb")
        {
            await PabulibExport.WriteAsync(output, ballot, exportKey, dataSource, ct);
            return TypedResults.Empty;
        }
        if (format == "json")
        {
            await JsonExport.WriteAsync(output, ballot, kind, exportKey, dataSource, ct);
            return TypedResults.Empty;
        }
        var german = format is "csv-de" or "xlsx";
        var table = kind == "tally" ? TallyTable(ballot, dataSource, german, ct) : VotesTable(ballot, exportKey, dataSource, german, ct);
        if (format == "xlsx")
        {
            await XlsxExport.WriteAsync(output, table, ct);
        }
        else
        {
            await CsvExport.WriteAsync(output, table, format == "csv-de", ct);
        }
        return TypedResults.Empty;
    }

    /// <summary>Online tallies per district, computed while streaming the current votes.</summary>
    internal static async Task<(Tally All, SortedDictionary<string, Tally> ByDistrict, Dictionary<Guid, decimal> InPerson, long Participants)> CountAsync(
        BallotSnapshot ballot, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var all = new Tally();
        var byDistrict = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
        {
            await using (var command = new NpgsqlCommand("SELECT district, choices FROM current_votes WHERE ballot_id = $1", connection, tx))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = ballot.Id });
                await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
                while (await reader.ReadAsync(ct))
                {
                    var district = reader.IsDBNull(0) ? "" : reader.GetString(0);
                    var choices = Choices.Parse(reader.GetString(1));
                    VoteRules.Apply(ballot.Rules, choices, +1, all);
                    if (!byDistrict.TryGetValue(district, out var tally))
                    {
                        byDistrict[district] = tally = new Tally();
                    }
                    VoteRules.Apply(ballot.Rules, choices, +1, tally);
                }
            }
            var (inPerson, participants) = await ResultsReader.ReadInPersonAsync(connection, tx, ballot.Id);
            await tx.CommitAsync(ct);
            return (all, byDistrict, inPerson, participants);
        }
    }

    private static ExportTable TallyTable(BallotSnapshot ballot, NpgsqlDataSource dataSource, bool german, CancellationToken ct)
    {
        string[] columns = german
            ? ["Option-ID", "Eintrag-ID", "Titel", "Stadtteil", "Online", "Online-Stimmen", "Vor Ort", "Gesamt", "Platz"]
            : ["option_id", "item_id", "title", "district", "online", "online_votes", "in_person", "total", "rank"];
        return new ExportTable("Ergebnis", columns, Rows());

        async IAsyncEnumerable<object?[]> Rows()
        {
            var (all, byDistrict, inPerson, participants) = await CountAsync(ballot, dataSource, ct);
            var view = BallotResults.Compute(ballot, all, inPerson, participants, DateTimeOffset.UtcNow);
            var allLabel = german ? "alle" : "all";
            foreach (var option in view.Options)
            {
                yield return [option.OptionId.ToString(), option.ItemId?.ToString(), option.Title, allLabel, option.Online, option.OnlineVotes,
                    option.InPerson, option.Total, (long)option.Rank];
            }
            foreach (var (district, tally) in byDistrict)
            {
                var label = district.Length == 0 ? (german ? "unbekannt" : "unknown") : district;
                foreach (var option in ballot.Options)
                {
                    var t = tally[option.OptionId];
                    yield return [option.OptionId.ToString(), option.ItemId?.ToString(), option.Title, label, t.Score, t.Votes, null, t.Score, null];
                }
            }
        }
    }

    /// <summary>Votes by voter: one row per current vote, one column per option (1 = chosen, points, or rank).</summary>
    private static ExportTable VotesTable(BallotSnapshot ballot, byte[] exportKey, NpgsqlDataSource dataSource, bool german, CancellationToken ct)
    {
        var head = german ? new[] { "Pseudonym", "Stadtteil" } : ["pseudonym", "district"];
        var columns = head.Concat(ballot.Options.Select(o => o.Title)).ToList();
        return new ExportTable("Stimmen", columns, Rows());

        async IAsyncEnumerable<object?[]> Rows()
        {
            var index = ballot.Options.Select((o, i) => (o.OptionId, i)).ToDictionary(x => x.OptionId, x => x.i);
            await foreach (var vote in StreamVotesAsync(ballot.Id, exportKey, dataSource, ct))
            {
                var row = new object?[head.Length + ballot.Options.Count];
                row[0] = vote.Pseudonym;
                row[1] = vote.District;
                foreach (var entry in Choices.Parse(vote.Choices).Entries)
                {
                    row[head.Length + index[entry.OptionId]] = (long)entry.Value;
                }
                yield return row;
            }
        }
    }

    /// <summary>A current vote as exports show it: nothing a receipt or a voter's memory of the time links to.</summary>
    internal sealed record ExportedVote(string Pseudonym, string? District, string Choices);

    /// <summary>Current votes ordered by their export pseudonym (see <see cref="VoterKeys.ExportKey"/>).</summary>
    internal static async IAsyncEnumerable<ExportedVote> StreamVotesAsync(Guid ballotId, byte[] exportKey, NpgsqlDataSource dataSource,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT encode(substring(sha256($2 || voter_key) FROM 1 FOR 16), 'hex') AS pseudonym, district, choices
            FROM current_votes WHERE ballot_id = $1 ORDER BY pseudonym
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ballotId });
        command.Parameters.Add(new NpgsqlParameter { Value = exportKey });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new ExportedVote(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
        }
    }
}

/// <summary>Open data: the ballot, the results (or the votes), streamed as JSON.</summary>
internal static class JsonExport
{
    public static async Task WriteAsync(Stream output, BallotSnapshot ballot, string kind, byte[] exportKey, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("ballotId", ballot.Id);
        json.WriteString("processId", ballot.ProcessId);
        json.WriteString("title", ballot.Title);
        json.WriteString("method", BallotResults.Kebab(ballot.Method.ToString()));
        json.WriteBoolean("final", ballot.Status == BallotStatus.Closed);
        if (ballot.FinalDigest is { } digest)
        {
            json.WriteString("digest", digest);
        }
        if (kind == "tally")
        {
            var (all, byDistrict, inPerson, participants) = await ExportsApi.CountAsync(ballot, dataSource, ct);
            var view = BallotResults.Compute(ballot, all, inPerson, participants, DateTimeOffset.UtcNow);
            json.WriteNumber("voters", view.Voters);
            json.WriteNumber("inPersonParticipants", view.InPersonParticipants);
            json.WriteStartArray("options");
            foreach (var option in view.Options)
            {
                json.WriteStartObject();
                json.WriteString("optionId", option.OptionId);
                if (option.ItemId is { } itemId)
                {
                    json.WriteString("itemId", itemId);
                }
                json.WriteString("title", option.Title);
                json.WriteNumber("online", option.Online);
                json.WriteNumber("onlineVotes", option.OnlineVotes);
                json.WriteNumber("inPerson", option.InPerson);
                json.WriteNumber("total", option.Total);
                json.WriteNumber("rank", option.Rank);
                json.WriteStartObject("onlineByDistrict");
                foreach (var (district, tally) in byDistrict)
                {
                    json.WriteNumber(district.Length == 0 ? "unknown" : district, tally[option.OptionId].Score);
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (view.CondorcetWinner is { } winner)
            {
                json.WriteString("condorcetWinner", winner);
            }
        }
        else
        {
            json.WriteStartArray("votes");
            var count = 0;
            await foreach (var vote in ExportsApi.StreamVotesAsync(ballot.Id, exportKey, dataSource, ct))
            {
                json.WriteStartObject();
                json.WriteString("pseudonym", vote.Pseudonym);
                json.WriteString("district", vote.District);
                json.WriteStartObject("choices");
                foreach (var entry in Counting.Choices.Parse(vote.Choices).Entries)
                {
                    json.WriteNumber(entry.OptionId.ToString(), entry.Value);
                }
                json.WriteEndObject();
                json.WriteEndObject();
                if (++count % 1000 == 0)
                {
                    await json.FlushAsync(ct);
                }
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }
}

