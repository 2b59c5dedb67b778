using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Account;

/// <summary>The readable form of "Meine Daten": the same answers as the download, as headings, lists and tables.</summary>
public sealed class DataViewModel(PersonalData personalData, TimeProvider time) : WebPage
{
    public JsonObject? Export { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var result = await personalData.CollectAsync(time, ct);
        Response.Headers.CacheControl = "no-store";
        if (result.Export is null)
        {
            foreach (var (part, problem) in result.Failures)
            {
                ModelState.AddModelError("", T["Data_PartUnavailable", T[$"Data_Part_{part}"], ProblemMessage(problem)]);
            }
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
        Export = result.Export;
        return Page();
    }

    /// <summary>The label of a field the services name in their answers ("decisionsOnMyComments"), or the name spelt out.</summary>
    public string Label(string name)
    {
        var found = T[$"DataField_{name}"];
        if (!found.ResourceNotFound)
        {
            return found.Value;
        }
        var words = System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", " $1").ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>A value as text: dates in the city's time, nested values compact.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "–",
        JsonValue v when v.TryGetValue<DateTimeOffset>(out var at) && v.ToString().Contains('T') => Display.DateTime(at),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "✓" : "–",
        JsonValue v => v.ToString(),
        _ => node.ToJsonString(),
    };
}
