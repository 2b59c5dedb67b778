using System.Globalization;
using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.ServiceDefaults.Time;

namespace Mitreden.ServiceDefaults.Accounts;

public static class RefusedSubjectsExtensions
{
    /// <summary>
    /// Refuse deleted and blocked accounts in this service (the model needs <see cref="RefusedSubjectsModel.AddRefusedSubjects"/>):
    /// the consumer of Identity's UserDeleted, UserBlocked and UserUnblocked, the in-memory set with its refresher and
    /// readiness check, and the middleware that MapDefaultEndpoints adds when the set is registered.
    /// </summary>
    public static IBusRegistrationConfigurator AddRefusedSubjects<TDb>(this IBusRegistrationConfigurator bus) where TDb : DbContext
    {
        bus.AddConsumer<RefusedSubjectsConsumer<TDb>, RefusedSubjectsConsumerDefinition<TDb>>();
        bus.TryAddSingleton(TimeProvider.System);
        bus.TryAddSingleton<RefusedSubjects>();
        bus.AddOptions<RefusedSubjectsOptions>().BindConfiguration(RefusedSubjectsOptions.Section)
            .Validate(o => o.RefreshInterval > TimeSpan.Zero && o.Overlap >= TimeSpan.Zero,
                "RefusedSubjects:RefreshInterval must be positive and RefusedSubjects:Overlap not negative.");
        bus.AddHostedService<RefusedSubjectsRefresher>();
        bus.AddHealthChecks().AddCheck<RefusedSubjectsHealthCheck>("refused-subjects", tags: ["ready"]);
        return bus;
    }
}

/// <summary>
/// 403 for a token whose account Identity deleted (any request) or blocked (any change: POST, PUT, PATCH, DELETE; reading
/// stays allowed). Runs after authorization, so a caller without the endpoint's policy still gets 401/403 from it first.
/// </summary>
public sealed class RefusedSubjectsMiddleware(RequestDelegate next, RefusedSubjects subjects, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (context.User.Identity?.IsAuthenticated == true
            && subjects.Check(context.User, time.GetUtcNow()) is { } refusal
            && (refusal.Deleted || !IsReading(context.Request.Method)))
        {
            var problem = Problem(refusal);
            problem.Instance = context.Request.Path;
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
        }
        return next(context);
    }

    private static bool IsReading(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>The answer to a refused account; "code" is stable for clients, the detail is German.</summary>
    public static ProblemDetails Problem(AccountRefusal refusal)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Nicht erlaubt" };
        if (refusal.Deleted)
        {
            problem.Detail = "Dieses Konto wurde gelöscht.";
            problem.Extensions["code"] = "account-deleted";
        }
        else
        {
            problem.Detail = $"Ihr Konto ist bis {CityTime.FormatGerman(refusal.BlockedUntil!.Value)} gesperrt. Bis dahin können Sie nichts beitragen, bearbeiten oder abstimmen.";
            problem.Extensions["code"] = "user-blocked";
            problem.Extensions["blockedUntil"] = refusal.BlockedUntil;
        }
        return problem;
    }
}
