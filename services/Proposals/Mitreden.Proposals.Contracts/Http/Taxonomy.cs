namespace Mitreden.Proposals.Contracts.Http;

// Fields of action, cross-cutting themes and districts, owned by Proposals and read by the web (additive changes only).

/// <summary>Creates or replaces a field of action (Handlungsfeld) or a cross-cutting theme (Querschnittsthema).</summary>
public sealed record TopicRequest(string Title, string? Description = null);

/// <summary>A field of action or a cross-cutting theme of a process.</summary>
public sealed record TopicResponse(Guid Id, string Title, string? Description, int Position);

public sealed record DistrictRequest(string City, string Slug, string Name);

public sealed record DistrictResponse(Guid Id, string City, string Slug, string Name);
