namespace Mitreden.Proposals.Contracts;

/// <summary>What a phase allows. Other services keep a copy per process to enforce it without calling Proposals.</summary>
public record PhaseSwitches(bool Proposing, bool Commenting, bool PreModeration, bool Voting, bool ResultsVisible)
{
    public static readonly PhaseSwitches AllOff = new(false, false, false, false, false);
}

public static class ItemKinds
{
    public const string Vision = "vision";
    public const string GuidingGoal = "guiding-goal";
    public const string Measure = "measure";
    public const string Scenario = "scenario";
    public const string CitizenIdea = "citizen-idea";
    public static readonly IReadOnlyList<string> All = [Vision, GuidingGoal, Measure, Scenario, CitizenIdea];
}

public record ProcessPublished(Guid ProcessId, string Title, string City, DateTimeOffset PublishedAt);

public record PhaseStarted(Guid ProcessId, Guid PhaseId, string Title, string Kind, PhaseSwitches Switches,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public record PhaseEnded(Guid ProcessId, Guid PhaseId, DateTimeOffset EndedAt);

/// <summary>Staff changed the switches of the phase that is running now.</summary>
public record PhaseSwitchesChanged(Guid ProcessId, Guid PhaseId, PhaseSwitches Switches, DateTimeOffset ChangedAt);

/// <param name="District">District slug or null.</param>
/// <param name="PhaseId">The phase the item belongs to (e.g. a workshop's results), or null; the item follows its visibility.</param>
public record ItemPublished(Guid ItemId, Guid ProcessId, string Kind, string Title, string? District,
    decimal? CostEstimate, bool Official, Guid? AuthorId, DateTimeOffset PublishedAt, Guid? PhaseId = null);

/// <param name="PhaseId">The item's phase after the update (it may have moved), or null.</param>
public record ItemUpdated(Guid ItemId, Guid ProcessId, string Title, string? District, decimal? CostEstimate, DateTimeOffset UpdatedAt,
    Guid? PhaseId = null);

public record ItemStatusChanged(Guid ItemId, Guid ProcessId, string Status, string? PublicAnswer, DateTimeOffset ChangedAt);

public record MeasureProgressUpdated(Guid ItemId, Guid ProcessId, string Status, int ProgressPercent, DateTimeOffset UpdatedAt);

/// <summary>Kinds of phase (additive: consumers may see kinds they do not know and should treat them as "other").</summary>
public static class PhaseKinds
{
    public const string Stocktaking = "stocktaking";
    public const string Kickoff = "kickoff";
    public const string Workshop = "workshop";
    public const string FutureWorkshop = "future-workshop";
    public const string GoalsConference = "goals-conference";
    public const string OnlineParticipation = "online-participation";
    public const string FinalPresentation = "final-presentation";
    public const string Monitoring = "monitoring";
    public static readonly IReadOnlyList<string> All =
        [Stocktaking, Kickoff, Workshop, FutureWorkshop, GoalsConference, OnlineParticipation, FinalPresentation, Monitoring];
}

/// <summary>
/// Who may comment in a process, announced at publishing and whenever staff change it. By default only accounts
/// with a confirmed email address (or a stronger verification) may comment.
/// </summary>
public record ProcessCommentingRulesChanged(Guid ProcessId, bool UnconfirmedAccountsMayComment, DateTimeOffset ChangedAt);

/// <summary>Who may see a process: everyone, its members (accounts invited by staff) or staff only. Staff and admins always see.</summary>
public static class ProcessVisibilities
{
    public const string Public = "public";
    /// <summary>Accounts staff invited (a workshop group, the council), plus staff.</summary>
    public const string Members = "members";
    /// <summary>Staff only.</summary>
    public const string Internal = "internal";
    public static readonly IReadOnlyList<string> All = [Public, Members, Internal];
    /// <summary>At most this many members per process.</summary>
    public const int MaxMembers = 2_000;

    /// <summary>
    /// The one rule every service applies to its copy: staff see everything; otherwise public processes, and
    /// members-only processes for their members. An unknown value counts as internal (fail closed).
    /// </summary>
    public static bool MaySee(string visibility, bool staff, Guid? account, IReadOnlyCollection<Guid> members) =>
        staff || visibility == Public || (visibility == Members && account is { } id && members.Contains(id));

    /// <summary>
    /// A phase's visibility sits on top of its process's: the stricter of the two holds, and a members-only phase
    /// means the process's members. A null phase visibility (no phase, or one not announced) adds nothing.
    /// </summary>
    public static bool MaySee(string processVisibility, string? phaseVisibility, bool staff, Guid? account, IReadOnlyCollection<Guid> members) =>
        MaySee(Stricter(processVisibility, phaseVisibility ?? Public), staff, account, members);

    /// <summary>The stricter of two visibilities; an unknown value is the strictest (fail closed).</summary>
    public static string Stricter(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(string visibility) => visibility switch { Public => 0, Members => 1, _ => 2 };
}

/// <summary>
/// Staff made one phase of a process public, members-only (the process's members) or internal (staff only); everything
/// belonging to the phase (its ballots, events, documents) follows. Announced only when staff change it: a phase
/// never announced is public. The latest event wins.
/// </summary>
/// <param name="Visibility">One of <see cref="ProcessVisibilities"/>.</param>
public record PhaseVisibilityChanged(Guid ProcessId, Guid PhaseId, string Visibility, DateTimeOffset ChangedAt);

/// <summary>
/// A process's visibility and member list, announced when the process is created (so no other service ever sees it
/// without it) and whenever staff change either. The list is complete each time: the latest event wins.
/// </summary>
/// <param name="Visibility">One of <see cref="ProcessVisibilities"/>.</param>
/// <param name="Members">Account ids that may see a members-only process.</param>
public record ProcessVisibilityChanged(Guid ProcessId, string Visibility, IReadOnlyList<Guid> Members, DateTimeOffset ChangedAt);
