namespace Mitreden.Voting.Api.Pipeline;

/// <summary>Where a batch is when <see cref="IVoteBatchHooks"/> is called (to simulate a crash there).</summary>
public enum VoteBatchStage
{
    /// <summary>A batch has been collected, nothing written yet.</summary>
    Collected,
    /// <summary>Everything written, transaction not committed yet.</summary>
    BeforeCommit,
    /// <summary>Committed, messages not acknowledged yet.</summary>
    AfterCommit,
}

/// <summary>
/// Test seam of the vote consumer: a real broker and database cannot crash on cue. Production registers
/// <see cref="NoVoteBatchHooks"/>; the crash tests register their own.
/// </summary>
public interface IVoteBatchHooks
{
    Task AtAsync(VoteBatchStage stage, int batch, CancellationToken ct);
}

public sealed class NoVoteBatchHooks : IVoteBatchHooks
{
    public Task AtAsync(VoteBatchStage stage, int batch, CancellationToken ct) => Task.CompletedTask;
}
