using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Districts;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Proposals.Api.Features.Taxonomy;

internal static class TopicResponses
{
    public static TopicResponse From(FieldOfAction f) => new(f.Id, f.Title, f.Description, f.Position);
    public static TopicResponse From(CrossCuttingTheme t) => new(t.Id, t.Title, t.Description, t.Position);
}

/// <summary>Fields of action (Handlungsfelder) and cross-cutting themes (Querschnittsthemen) per process; districts per city.</summary>
public static class TaxonomyApi
{
    public static IEndpointRouteBuilder MapTaxonomyApi(this IEndpointRouteBuilder app)
    {
        var fields = app.MapGroup("/processes/{processId:guid}/fields-of-action").WithTags("Fields of action");
        fields.MapGet("/", ListFields).AllowAnonymous();
        fields.MapPost("/", CreateField).RequireAuthorization(AuthPolicies.Staff);
        fields.MapPut("/{id:guid}", UpdateField).RequireAuthorization(AuthPolicies.Staff);
        fields.MapDelete("/{id:guid}", DeleteField).RequireAuthorization(AuthPolicies.Staff)
            .WithSummary("Removes a field of action no item belongs to (409 while items still do).");

        var themes = app.MapGroup("/processes/{processId:guid}/themes").WithTags("Cross-cutting themes");
        themes.MapGet("/", ListThemes).AllowAnonymous();
        themes.MapPost("/", CreateTheme).RequireAuthorization(AuthPolicies.Staff);
        themes.MapPut("/{id:guid}", UpdateTheme).RequireAuthorization(AuthPolicies.Staff);
        themes.MapDelete("/{id:guid}", DeleteTheme).RequireAuthorization(AuthPolicies.Staff)
            .WithSummary("Removes a cross-cutting theme no item belongs to (409 while items still do).");

        var districts = app.MapGroup("/districts").WithTags("Districts");
        districts.MapGet("/", ListDistricts).AllowAnonymous();
        districts.MapPost("/", CreateDistrict).RequireAuthorization(AuthPolicies.Staff);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<TopicResponse>>, ProblemHttpResult>> ListFields(
        Guid processId, ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var list = await db.FieldsOfAction.AsNoTracking().Where(f => f.ProcessId == processId)
            .OrderBy(f => f.Position).ThenBy(f => f.Title).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<TopicResponse>>(list.Select(TopicResponses.From).ToList());
    }

    private static async Task<Results<Created<TopicResponse>, ProblemHttpResult>> CreateField(
        Guid processId, TopicRequest request, ProposalsDb db, CancellationToken ct)
    {
        if (await WritableProcessAsync(db, processId, ct) is { } problem)
        {
            return problem;
        }
        if (Validate(request, out var title, out var description) is { } invalid)
        {
            return invalid;
        }
        if (await db.FieldsOfAction.AnyAsync(f => f.ProcessId == processId && f.Title == title, ct))
        {
            return Problems.Conflict($"The process already has a field of action '{title}'.", "field-of-action-exists");
        }
        var position = (await db.FieldsOfAction.Where(f => f.ProcessId == processId).MaxAsync(f => (int?)f.Position, ct) ?? 0) + 1;
        var field = new FieldOfAction { Id = Guid.CreateVersion7(), ProcessId = processId, Title = title, Description = description, Position = position };
        db.FieldsOfAction.Add(field);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/processes/{processId}/fields-of-action/{field.Id}", TopicResponses.From(field));
    }

    private static async Task<Results<Ok<TopicResponse>, ProblemHttpResult>> UpdateField(
        Guid processId, Guid id, TopicRequest request, ProposalsDb db, CancellationToken ct)
    {
        if (await WritableProcessAsync(db, processId, ct) is { } problem)
        {
            return problem;
        }
        var field = await db.FieldsOfAction.SingleOrDefaultAsync(f => f.Id == id && f.ProcessId == processId, ct);
        if (field is null)
        {
            return Problems.NotFound("The field of action does not exist.");
        }
        if (Validate(request, out var title, out var description) is { } invalid)
        {
            return invalid;
        }
        if (await db.FieldsOfAction.AnyAsync(f => f.ProcessId == processId && f.Title == title && f.Id != id, ct))
        {
            return Problems.Conflict($"The process already has a field of action '{title}'.", "field-of-action-exists");
        }
        (field.Title, field.Description) = (title, description);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TopicResponses.From(field));
    }

    private static async Task<Results<Ok<IReadOnlyList<TopicResponse>>, ProblemHttpResult>> ListThemes(
        Guid processId, ProposalsDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await db.FindVisibleAsync(processId, user, ct) is null)
        {
            return Problems.NotFound("The process does not exist.");
        }
        var list = await db.Themes.AsNoTracking().Where(t => t.ProcessId == processId)
            .OrderBy(t => t.Position).ThenBy(t => t.Title).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<TopicResponse>>(list.Select(TopicResponses.From).ToList());
    }

    private static async Task<Results<Created<TopicResponse>, ProblemHttpResult>> CreateTheme(
        Guid processId, TopicRequest request, ProposalsDb db, CancellationToken ct)
    {
        if (await WritableProcessAsync(db, processId, ct) is { } problem)
        {
            return problem;
        }
        if (Validate(request, out var title, out var description) is { } invalid)
        {
            return invalid;
        }
        if (await db.Themes.AnyAsync(t => t.ProcessId == processId && t.Title == title, ct))
        {
            return Problems.Conflict($"The process already has a cross-cutting theme '{title}'.", "theme-exists");
        }
        var position = (await db.Themes.Where(t => t.ProcessId == processId).MaxAsync(t => (int?)t.Position, ct) ?? 0) + 1;
        var theme = new CrossCuttingTheme { Id = Guid.CreateVersion7(), ProcessId = processId, Title = title, Description = description, Position = position };
        db.Themes.Add(theme);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/processes/{processId}/themes/{theme.Id}", TopicResponses.From(theme));
    }

    private static async Task<Results<Ok<TopicResponse>, ProblemHttpResult>> UpdateTheme(
        Guid processId, Guid id, TopicRequest request, ProposalsDb db, CancellationToken ct)
    {
        if (await WritableProcessAsync(db, processId, ct) is { } problem)
        {
            return problem;
        }
        var theme = await db.Themes.SingleOrDefaultAsync(t => t.Id == id && t.ProcessId == processId, ct);
        if (theme is null)
        {
            return Problems.NotFound("The cross-cutting theme does not exist.");
        }
        if (Validate(request, out var title, out var description) is { } invalid)
        {
            return invalid;
        }
        if (await db.Themes.AnyAsync(t => t.ProcessId == processId && t.Title == title && t.Id != id, ct))
        {
            return Problems.Conflict($"The process already has a cross-cutting theme '{title}'.", "theme-exists");
        }
        (theme.Title, theme.Description) = (title, description);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TopicResponses.From(theme));
    }

    private static async Task<Ok<IReadOnlyList<DistrictResponse>>> ListDistricts(string? city, ProposalsDb db, CancellationToken ct)
    {
        var query = db.Districts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(city))
        {
            query = query.Where(d => d.City == city.Trim());
        }
        var list = await query.OrderBy(d => d.City).ThenBy(d => d.Name)
            .Select(d => new DistrictResponse(d.Id, d.City, d.Slug, d.Name)).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<DistrictResponse>>(list);
    }

    private static async Task<Results<Created<DistrictResponse>, ProblemHttpResult>> CreateDistrict(
        DistrictRequest request, ProposalsDb db, CancellationToken ct)
    {
        var v = new Validator();
        var city = v.Text(request.City, "city", 100);
        var name = v.Text(request.Name, "name", 120);
        var slug = request.Slug?.Trim() ?? "";
        v.Check(DistrictSlug.IsValid(slug), "slug", DistrictSlug.Rule);
        if (v.Failed)
        {
            return v.Problem();
        }
        if (await db.Districts.AnyAsync(d => d.City == city && d.Slug == slug, ct))
        {
            return Problems.Conflict($"{city} already has a district '{slug}'.", "district-exists");
        }
        var district = new District { Id = Guid.CreateVersion7(), City = city, Slug = slug, Name = name };
        db.Districts.Add(district);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/districts?city={Uri.EscapeDataString(city)}",
            new DistrictResponse(district.Id, district.City, district.Slug, district.Name));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteField(Guid processId, Guid id, ProposalsDb db, CancellationToken ct)
    {
        if (await WritableProcessAsync(db, processId, ct) is { } problem)
        {
            return problem;
        }
        var field = await db.FieldsOfAction.SingleOrDefaultAsync(f => f.Id == id && f.ProcessId == processId, ct);
        if (field is null)
        {
            return Problems.NotFound("The field of action does not exist.");
        }
        var used = await db.Set<ItemFieldOfAction>().CountAsync(x => x.FieldOfActionId == id, ct);
        if (used > 0)
        {
            return Problems.Conflict($"{used} item(s) still belong to the field of action '{field.Title}'; assign them elsewhere first.", "field-of-action-in-use");
        }
        db.FieldsOfAction.Remove(field);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTheme(Guid processId, Guid id, ProposalsDb db, CancellationToken ct)
    {
        if (await WritableProcessAsync(db, processId, ct) is { } problem)
        {
            return problem;
        }
        var theme = await db.Themes.SingleOrDefaultAsync(t => t.Id == id && t.ProcessId == processId, ct);
        if (theme is null)
        {
            return Problems.NotFound("The cross-cutting theme does not exist.");
        }
        var used = await db.Set<ItemTheme>().CountAsync(x => x.ThemeId == id, ct);
        if (used > 0)
        {
            return Problems.Conflict($"{used} item(s) still belong to the cross-cutting theme '{theme.Title}'; assign them elsewhere first.", "theme-in-use");
        }
        db.Themes.Remove(theme);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<ProblemHttpResult?> WritableProcessAsync(ProposalsDb db, Guid processId, CancellationToken ct)
    {
        var status = await db.Processes.Where(p => p.Id == processId).Select(p => (ProcessStatus?)p.Status).SingleOrDefaultAsync(ct);
        return status switch
        {
            null => Problems.NotFound("The process does not exist."),
            ProcessStatus.Archived => Problems.Conflict("The process is archived and can no longer change.", "process-archived"),
            _ => null,
        };
    }

    private static ProblemHttpResult? Validate(TopicRequest request, out string title, out string? description)
    {
        var v = new Validator();
        title = v.Text(request.Title, "title", 200);
        description = v.OptionalText(request.Description, "description", 5_000);
        return v.Failed ? v.Problem() : null;
    }
}
