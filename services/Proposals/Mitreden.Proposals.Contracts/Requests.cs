namespace Mitreden.Proposals.Contracts;

/// <summary>
/// Request answered by Proposals over the bus with <see cref="DistrictLookup"/>: does the city have a district with
/// this slug? Identity asks before it makes letter codes, so residents can only be verified for real districts.
/// </summary>
public record FindDistrict(string Slug);

/// <summary>The answer to <see cref="FindDistrict"/>; <paramref name="Name"/> is null when the district does not exist.</summary>
public record DistrictLookup(string Slug, bool Exists, string? Name);
