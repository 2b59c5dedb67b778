using Microsoft.AspNetCore.Mvc;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Ballots;

/// <summary>After voting: the receipt (a hash that proves the vote is counted without revealing it) and its status.</summary>
public sealed class ReceiptModel(VotingApi voting) : WebPage
{
    public BallotView Ballot { get; private set; } = null!;
    public string? Hash { get; private set; }
    public ReceiptStatus? Status { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery(Name = "beleg")] string? hash, CancellationToken ct)
    {
        var ballot = await voting.BallotAsync(id, ct);
        if (!ballot.Ok)
        {
            return StatusCode(ballot.Status == 404 ? 404 : 400);
        }
        Ballot = ballot.Value!;
        if (hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit))
        {
            Hash = hash.ToLowerInvariant();
            Status = (await voting.ReceiptAsync(id, Hash, ct)).Value;
        }
        return Page();
    }
}
