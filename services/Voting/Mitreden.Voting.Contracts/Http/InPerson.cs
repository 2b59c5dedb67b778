namespace Mitreden.Voting.Contracts.Http;

// In-person results and corrections of a published result: Voting's HTTP types, read by the web (additive changes only).

/// <summary>One in-person total of an option (paper ballots, workshop dots).</summary>
public sealed record InPersonLine(Guid OptionId, decimal Value);

/// <param name="Source">Where the numbers come from, e.g. "Zukunftswerkstatt 12.05." or "Papierstimmzettel Bürgerbüro".</param>
/// <param name="Supersedes">The entry this one corrects; the old one stays in the history.</param>
public sealed record InPersonInput(string Source, IReadOnlyList<InPersonLine> Results, string? Note = null, int? Participants = null,
    Guid? Supersedes = null);

public sealed record InPersonView(Guid Id, string Source, string? Note, int? Participants, IReadOnlyList<InPersonLine> Results,
    Guid? Supersedes, Guid? SupersededBy, bool Active, Guid CreatedBy, DateTimeOffset CreatedAt);

/// <param name="Reason">Why the published result is corrected; shown with the new version and kept in the audit trail.</param>
/// <param name="Supersedes">The in-person entry the correction replaces; null adds a new one (e.g. a forgotten ballot box).</param>
public sealed record ResultCorrectionInput(string Source, IReadOnlyList<InPersonLine> Results, string? Reason = null, string? Note = null,
    int? Participants = null, Guid? Supersedes = null);

/// <summary>One correction as the audit trail keeps it: who, when, why, digest before and after.</summary>
public sealed record CorrectionAuditView(int Version, Guid? CorrectedBy, DateTimeOffset CorrectedAt, string? Reason,
    string? PreviousDigest, string Digest, Guid? InPersonEntryId);
