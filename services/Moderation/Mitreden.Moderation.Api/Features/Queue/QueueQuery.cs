namespace Mitreden.Moderation.Api.Features.Queue;

/// <summary>Query string of the queue: paged by <c>page</c> number or by <c>cursor</c>, filtered by state and reason.</summary>
public sealed record QueueQuery(string? Cursor, int? PageSize, int? Page, string? State, string? Reason);
