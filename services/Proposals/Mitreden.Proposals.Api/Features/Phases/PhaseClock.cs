using Microsoft.Extensions.Options;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;

namespace Mitreden.Proposals.Api.Features.Phases;

/// <summary>Bound from the section "Proposals" and validated at start (ProposalsModule).</summary>
public sealed class PhaseClockOptions
{
    public const string Section = "Proposals";

    /// <summary>How often the clock looks for phase changes (Proposals:PhaseClockInterval).</summary>
    public TimeSpan PhaseClockInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Switches phases on time: every <see cref="PhaseClockOptions.PhaseClockInterval"/> one <see cref="PhaseTransitions.TickAsync"/>.</summary>
internal sealed class PhaseClock(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PhaseClockOptions> settings, ILogger<PhaseClock> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var interval = settings.Value.PhaseClockInterval;
        using var timer = new PeriodicTimer(interval, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
                var changed = await PhaseTransitions.TickAsync(db, clock.GetUtcNow(), stoppingToken);
                if (changed > 0)
                {
                    logger.LogInformation("Phase clock announced {Transitions} phase transition(s)", changed);
                }
                if (!await timer.WaitForNextTickAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Phase clock tick failed; next try in {Interval}", interval);
                await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
