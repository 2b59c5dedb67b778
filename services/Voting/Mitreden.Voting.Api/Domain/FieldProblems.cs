using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Api.Counting;

namespace Mitreden.Voting.Api.Domain;

/// <summary>The one way Voting answers refused fields: 422 with the messages per field and a code per field.</summary>
public static class FieldProblems
{
    /// <summary>422: the messages grouped by field; <c>errorCodes</c> holds each field's first code.</summary>
    public static IResult Invalid(IReadOnlyCollection<FieldError> errors, string detail) => Problems.Invalid(
        errors.GroupBy(e => e.Field).Select(g => new KeyValuePair<string, string[]>(g.Key, g.Select(e => e.Message).ToArray())),
        detail, errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Code));
}
