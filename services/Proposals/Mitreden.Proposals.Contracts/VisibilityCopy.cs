namespace Mitreden.Proposals.Contracts;

/// <summary>
/// Another service's copy of who may see a process, kept from <see cref="ProcessVisibilityChanged"/>. The type and
/// its rules live here once so that every service that keeps a copy (Comments, Voting) applies events and answers
/// "may this caller see it" the same way; each service maps it to its own table. No row means public, as every
/// process was before Proposals had visibility (new ones announce theirs when they are created).
/// </summary>
public sealed class ProcessVisibilityCopy
{
    public Guid ProcessId { get; set; }
    public required string Visibility { get; set; }
    public List<Guid> Members { get; set; } = [];
    /// <summary>Time of the event; an older event never overwrites a newer one.</summary>
    public DateTimeOffset AsOf { get; set; }

    /// <summary>A copy no event has filled yet: any real event is newer than the epoch.</summary>
    public static ProcessVisibilityCopy Empty(Guid processId) =>
        new() { ProcessId = processId, Visibility = ProcessVisibilities.Public, AsOf = DateTimeOffset.UnixEpoch };

    /// <summary>Takes the event unless the copy is newer already; events may arrive in any order and more than once.</summary>
    public void Apply(ProcessVisibilityChanged m)
    {
        var changedAt = m.ChangedAt.ToUniversalTime();
        if (changedAt >= AsOf)
        {
            Visibility = m.Visibility;
            Members = [.. m.Members];
            AsOf = changedAt;
        }
    }

    /// <summary>Whether the caller may see the process, or a phase of it with the given visibility (null: no phase restriction).</summary>
    public bool MaySee(string? phaseVisibility, bool staff, Guid? account) =>
        ProcessVisibilities.MaySee(Visibility, phaseVisibility, staff, account, Members);

    /// <summary>The same for a process we have no copy of (public).</summary>
    public static bool MaySee(ProcessVisibilityCopy? copy, string? phaseVisibility, bool staff, Guid? account) =>
        copy?.MaySee(phaseVisibility, staff, account) ?? ProcessVisibilities.MaySee(ProcessVisibilities.Public, phaseVisibility, staff, account, []);
}

/// <summary>
/// The phase part of the same copy: a phase's visibility as of the latest <see cref="PhaseVisibilityChanged"/>.
/// Services keep these two fields on their own phase copy and apply events through here.
/// </summary>
public static class PhaseVisibilityCopy
{
    /// <summary>The visibility and time to keep after the event, or null when the copy is newer already.</summary>
    public static (string Visibility, DateTimeOffset AsOf)? Apply(DateTimeOffset copyAsOf, PhaseVisibilityChanged m)
    {
        var changedAt = m.ChangedAt.ToUniversalTime();
        return changedAt >= copyAsOf ? (m.Visibility, changedAt) : null;
    }
}
