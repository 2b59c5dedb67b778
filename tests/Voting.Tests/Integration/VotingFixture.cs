using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.TestKit;
using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;
using Npgsql;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>The Voting service in-process on its own database, vhost and Redis key prefix; fast closing for tests.</summary>
public class VotingFixture : IAsyncLifetime
{
    public VotingFixture()
        : this(new ServiceFactory<VotingDb>("voting"))
    {
    }

    protected VotingFixture(ServiceFactory<VotingDb> factory) => Factory = Configure(factory);

    public static ServiceFactory<VotingDb> Configure(ServiceFactory<VotingDb> factory) => factory
        .With("Voting:VoterKeySecret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
        .With("Voting:RedisPrefix", $"test-{Guid.NewGuid():N}:")
        .With("Voting:PublishTimeout", "00:00:02")
        .With("Voting:CloseGrace", "00:00:02")
        .With("Voting:CloserInterval", "00:00:00.200")
        .With("Voting:SupportEventInterval", "00:00:00.100")
        .With("Voting:ResultsCacheTime", "00:00:00.050");

    public ServiceFactory<VotingDb> Factory { get; }

    public virtual async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Factory).InitializeAsync();
        using var client = Factory.Anonymous();
        (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();
        await Eventually.AssertAsync(async () =>
            (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK), TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class VotingCollection : ICollectionFixture<VotingFixture>
{
    public const string Name = "voting";
}

/// <summary>HTTP and database helpers.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body, Json);

    public static async Task<JsonElement> Json200(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates and opens a ballot; returns its id and option ids (in order).</summary>
    public static async Task<(Guid Id, Guid[] Options)> CreateOpenBallotAsync(this ServiceFactory<VotingDb> factory, object ballot, bool open = true)
    {
        var staff = factory.Staff();
        var created = await (await staff.PostJson("/ballots", ballot)).Json200(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        if (open)
        {
            var opened = await (await staff.PostAsync($"/ballots/{id}/open", null)).Json200();
            opened.GetProperty("state").GetString().Should().Be("open");
        }
        return (id, created.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("optionId").GetGuid()).ToArray());
    }

    public static object Ballot(string method, object[] options, string visibility = "live", object? eligibility = null,
        int? min = null, int? max = null, decimal? budget = null, int? dots = null, int? maxPerOption = null, int? maxScore = null,
        bool partial = false) => new
        {
            processId = Guid.NewGuid(),
            title = "Testabstimmung " + Guid.NewGuid().ToString("N")[..6],
            method,
            options,
            minSelections = min,
            maxSelections = max,
            budget,
            dots,
            maxDotsPerOption = maxPerOption,
            maxScore,
            allowPartialRanking = partial,
            eligibility = eligibility ?? new { kind = "verified" },
            visibility,
            closesAt = DateTimeOffset.UtcNow.AddHours(1),
        };

    public static object[] TextOptions(params string[] titles) => titles.Select(t => (object)new { title = t }).ToArray();

    public static object[] ItemOptions(int count) => Enumerable.Range(1, count).Select(i => (object)new { itemId = Guid.NewGuid(), title = $"Maßnahme {i}" }).ToArray();

    public static async Task<JsonElement> VoteAsync(this HttpClient client, Guid ballot, object choices, string? idempotencyKey = null,
        HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/ballots/{ballot}/votes") { Content = JsonContent.Create(choices, options: Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await (await client.SendAsync(request)).Json200(expected);
    }

    public static async Task<T> QueryAsync<T>(this ServiceFactory<VotingDb> factory, string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    /// <summary>Waits until the consumer has taken in as many distinct votes for the ballot.</summary>
    public static Task WaitConsumedAsync(this ServiceFactory<VotingDb> factory, Guid ballot, long votes, TimeSpan? timeout = null) =>
        Eventually.AssertAsync(async () =>
            (await factory.QueryAsync<long>("SELECT coalesce((SELECT consumed FROM ballot_counters WHERE ballot_id = @ballot), 0)", new { ballot }))
            .Should().Be(votes), timeout ?? TimeSpan.FromSeconds(30));

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
