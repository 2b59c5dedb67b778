namespace Mitreden.Voting.Api.Counting;

/// <summary>
/// A refusal of one field of a request: the field's path (<c>options[2].title</c>, <c>results[1].value</c>), a stable
/// code (the web has its own words for it) and the German message.
/// </summary>
public sealed record FieldError(string Field, string Code, string Message);
