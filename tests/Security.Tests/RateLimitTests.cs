using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// Abuse limits at the gateway and in Identity, with the default configuration of the test stack
/// (gateway appsettings Gateway:RateLimits). Each test speaks from addresses of its own (X-Forwarded-For).
/// </summary>
public sealed class RateLimitTests
{
    private static async Task<(int Status, TimeSpan? RetryAfter, string? MediaType)> SendOnceAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType);
    }

    private static void ShouldBeProperlyLimited(IReadOnlyCollection<(int Status, TimeSpan? RetryAfter, string? MediaType)> answers, string what)
    {
        var limited = answers.Where(a => a.Status == 429).ToList();
        limited.Should().NotBeEmpty("{0} must be rate limited", what);
        limited.Should().OnlyContain(a => a.RetryAfter != null && a.RetryAfter >= TimeSpan.FromSeconds(1), "a 429 says when to come back");
        limited.Should().OnlyContain(a => a.MediaType == "application/problem+json");
        answers.Should().NotContain(a => a.Status >= 500);
    }

    private static FormUrlEncodedContent Login(string email, string password) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = email, ["password"] = password,
    });

    [Fact]
    public async Task Login_GuessingAcrossAccountsFromOneAddress_Gets429_OtherAddressDoesNot()
    {
        using var attacker = StackClient.Client(address: StackClient.RandomAddress());

        var answers = new List<(int, TimeSpan?, string?)>();
        for (var i = 0; i < 14; i++)
        {
            answers.Add(await SendOnceAsync(attacker, new HttpRequestMessage(HttpMethod.Post, "/api/identity/connect/token")
            {
                Content = Login($"opfer-{i}-{Guid.NewGuid():N}@example.org", "Falsch-Passwort-" + i),
            }));
        }

        ShouldBeProperlyLimited(answers, "password guessing from one address across many accounts");
        answers.Take(5).Should().NotContain(a => a.Item1 == 429, "a person who mistypes a few times is not locked out");
        using var neighbour = StackClient.Client(address: StackClient.RandomAddress());
        var other = await SendOnceAsync(neighbour, new HttpRequestMessage(HttpMethod.Post, "/api/identity/connect/token")
        {
            Content = Login(StackClient.AdminEmail, StackClient.AdminPassword),
        });
        other.Status.Should().Be(200, "the limit is per address; another address signs in normally");
    }

    [Fact]
    public async Task Login_GuessingOneAccount_LocksOnlyTheGuessingAddress_UntilManyAddressesGuess()
    {
        var (_, email) = await StackClient.RegisterAsync("lockout");
        async Task<(int Status, TimeSpan? RetryAfter, string? MediaType)> SignInAsync(string address, string password)
        {
            using var client = StackClient.Client(address: address);
            return await SendOnceAsync(client, new HttpRequestMessage(HttpMethod.Post, "/api/identity/connect/token")
            {
                Content = Login(email, password),
            });
        }

        var stranger = StackClient.RandomAddress();
        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(stranger, "Falsch-Passwort-" + i)).Status.Should().Be(400);
        }
        var locked = await SignInAsync(stranger, StackClient.Password);
        ShouldBeProperlyLimited([locked], "guessing one account from one address");
        (await SignInAsync(StackClient.RandomAddress(), StackClient.Password)).Status.Should().Be(200,
            "a stranger's failures lock the account only from the stranger's address, not the owner at home");

        // A guessing campaign from many addresses reaches the count per account: then the account waits (one window).
        for (var i = 0; i < 50; i++)
        {
            (await SignInAsync(StackClient.RandomAddress(), "Falsch-Passwort-" + i)).Status.Should().BeOneOf(400, 429);
        }
        ShouldBeProperlyLimited([await SignInAsync(StackClient.RandomAddress(), StackClient.Password)], "guessing one account from many addresses");
    }

    [Fact]
    public async Task LetterCode_GuessingFromOneAccount_Gets429EvenFromChangingAddresses()
    {
        var (_, email) = await StackClient.RegisterAsync("lettercode");
        var token = await StackClient.TokenAsync(email, StackClient.Password);

        var answers = new List<(int, TimeSpan?, string?)>();
        for (var i = 0; i < 8; i++)
        {
            using var client = StackClient.Client(token, StackClient.RandomAddress());
            answers.Add(await SendOnceAsync(client, new HttpRequestMessage(HttpMethod.Post, "/api/identity/verification/letter-codes/redeem")
            {
                Content = JsonContent.Create(new { code = $"ABCD-EFGH-{i:0000}" }),
            }));
        }

        ShouldBeProperlyLimited(answers, "letter-code guessing by one account");
    }

    [Fact]
    public async Task Codes_GuessingFromOneAddress_Gets429()
    {
        using var attacker = StackClient.Client(address: StackClient.RandomAddress());

        var answers = new List<(int, TimeSpan?, string?)>();
        for (var i = 0; i < 14; i++)
        {
            answers.Add(await SendOnceAsync(attacker, new HttpRequestMessage(HttpMethod.Post, "/api/identity/connect/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "urn:mitreden:voting-code", ["code"] = $"WXYZ-{i:0000}-QRST" }),
            }));
        }

        ShouldBeProperlyLimited(answers, "voting-code guessing from one address");
    }

    [Fact]
    public async Task Votes_FloodByOneAccount_Gets429_WhateverTheAddress()
    {
        var world = await World.GetAsync();
        var (_, email) = await StackClient.RegisterAsync("voteflood");
        var token = await StackClient.TokenAsync(email, StackClient.Password);

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var client = StackClient.Client(token, StackClient.RandomAddress());
            return await SendOnceAsync(client, new HttpRequestMessage(HttpMethod.Post, $"/api/voting/ballots/{world.LiveBallotId}/votes")
            {
                Content = JsonContent.Create(new { selected = new[] { world.LiveBallotOptions[0] } }),
            });
        }));

        ShouldBeProperlyLimited(answers, "30 votes at once by one account");
        answers.Count(a => a.Status != 429).Should().BeGreaterThanOrEqualTo(5, "a person may change a vote a few times in a row");
    }

    [Fact]
    public async Task Comments_FloodByOneAccount_Gets429_WhateverTheAddress()
    {
        var world = await World.GetAsync();
        var (_, email) = await StackClient.RegisterAsync("commentflood");
        var token = await StackClient.TokenAsync(email, StackClient.Password);

        var answers = new List<(int, TimeSpan?, string?)>();
        for (var i = 0; i < 12; i++)
        {
            using var client = StackClient.Client(token, StackClient.RandomAddress());
            // An invalid body: the limit is decided at the gateway before validation, and nothing is stored.
            answers.Add(await SendOnceAsync(client, new HttpRequestMessage(HttpMethod.Post, $"/api/comments/items/{world.ItemId}/comments")
            {
                Content = new StringContent("{}", Encoding.UTF8, "application/json"),
            }));
        }

        ShouldBeProperlyLimited(answers, "12 comments in a row by one account");
        answers.Take(3).Should().NotContain(a => a.Item1 == 429, "writing a few comments in a row is normal");
    }

    /// <summary>
    /// Many accounts behind one address (a NAT of a city district, or one machine driving sock puppets): the per-address
    /// limit for signed-in voters is generous (hundreds at once) but finite; another address is not affected.
    /// </summary>
    [Fact]
    public async Task Votes_FloodByManyAccountsFromOneAddress_IsGenerousButFinite()
    {
        var world = await World.GetAsync();
        var tokens = await ManyAccountsAsync(45);
        var address = StackClient.RandomAddress();

        var answers = await Task.WhenAll(tokens.SelectMany(t => Enumerable.Range(0, 8).Select(_ => t)).Select(async token =>
        {
            using var client = StackClient.Client(token, address);
            // Unconfirmed accounts: the service refuses them (403), but only after the gateway counted the request.
            return await SendOnceAsync(client, new HttpRequestMessage(HttpMethod.Post, $"/api/voting/ballots/{world.LiveBallotId}/votes")
            {
                Content = JsonContent.Create(new { selected = new[] { world.LiveBallotOptions[0] } }),
            });
        }));

        ShouldBeProperlyLimited(answers, "360 votes at once from one address");
        answers.Count(a => a.Status != 429).Should().BeGreaterThanOrEqualTo(250, "citizens sharing one address must still be able to vote");
        var (_, email) = await StackClient.RegisterAsync("elsewhere");
        using var elsewhere = StackClient.Client(await StackClient.TokenAsync(email, StackClient.Password), StackClient.RandomAddress());
        var other = await SendOnceAsync(elsewhere, new HttpRequestMessage(HttpMethod.Post, $"/api/voting/ballots/{world.LiveBallotId}/votes")
        {
            Content = JsonContent.Create(new { selected = new[] { world.LiveBallotOptions[0] } }),
        });
        other.Status.Should().Be(403, "another address is not throttled (an unconfirmed account is then refused by eligibility)");
    }

    [Fact]
    public async Task Comments_FloodByManyAccountsFromOneAddress_IsGenerousButFinite()
    {
        var world = await World.GetAsync();
        var tokens = await ManyAccountsAsync(22);
        var address = StackClient.RandomAddress();

        var answers = await Task.WhenAll(tokens.SelectMany(t => Enumerable.Range(0, 4).Select(_ => t)).Select(async token =>
        {
            using var client = StackClient.Client(token, address);
            return await SendOnceAsync(client, new HttpRequestMessage(HttpMethod.Post, $"/api/comments/items/{world.ItemId}/comments")
            {
                Content = new StringContent("{}", Encoding.UTF8, "application/json"),
            });
        }));

        ShouldBeProperlyLimited(answers, "88 comments at once from one address");
        answers.Count(a => a.Status != 429).Should().BeGreaterThanOrEqualTo(50, "citizens sharing one address must still be able to comment");
        var (_, email) = await StackClient.RegisterAsync("elsewhere");
        using var elsewhere = StackClient.Client(await StackClient.TokenAsync(email, StackClient.Password), StackClient.RandomAddress());
        (await SendOnceAsync(elsewhere, new HttpRequestMessage(HttpMethod.Post, $"/api/comments/items/{world.ItemId}/comments")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        })).Status.Should().Be(400, "the same accounts from another address are not throttled");
    }

    private static async Task<string[]> ManyAccountsAsync(int count)
    {
        var tokens = new List<string>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(8))
        {
            tokens.AddRange(await Task.WhenAll(chunk.Select(async i =>
            {
                var (_, email) = await StackClient.RegisterAsync("nat" + i);
                return await StackClient.TokenAsync(email, StackClient.Password);
            })));
        }
        return [.. tokens];
    }
}
