using OpenIddict.Abstractions;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// Deletes token rows and authorizations that can no longer be used (expired, revoked, redeemed; ad-hoc authorizations
/// without tokens) once they are older than Identity:TokenPruneAge, every Identity:TokenPruneInterval. Each replica
/// runs it; the deletes are idempotent, so running twice costs one query.
/// </summary>
public sealed class TokenPruning(IServiceScopeFactory scopes, IdentitySettings settings, TimeProvider time, ILogger<TokenPruning> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(settings.TokenPruneInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Pruning token rows failed; trying again in {Interval}", settings.TokenPruneInterval);
            }
        }
    }

    public async Task<(long Tokens, long Authorizations)> PruneOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = time.GetUtcNow() - settings.TokenPruneAge;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, ct);
        if (tokens + authorizations > 0)
        {
            logger.LogInformation("Pruned {Tokens} token rows and {Authorizations} authorizations", tokens, authorizations);
        }
        return (tokens, authorizations);
    }
}
