using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Time;

namespace Mitreden.Proposals.Api.Features.Demo;

/// <summary>Fixed ids (see DEMO_IDS.md), so every service's demo seed agrees without calls.</summary>
internal static class DemoIds
{
    public static readonly Guid Citizen = Guid.Parse("11111111-0000-0000-0000-000000000001");
    public static readonly Guid Staff = Guid.Parse("11111111-0000-0000-0000-000000000003");

    public static Guid Process(int p) => Guid.Parse($"22222222-0000-0000-0000-00000000000{p}");
    public static Guid Phase(int p, int n) => Guid.Parse($"33333333-0000-0000-0000-0000000000{p}{n}");
    public static Guid Item(int p, int n) => Guid.Parse($"44444444-0000-0000-0000-0000000{p}{n:D4}");
    // Local to Proposals (not in DEMO_IDS.md): fields of action, themes and districts.
    public static Guid Field(int p, int n) => Guid.Parse($"66666666-0000-0000-0000-0000000{p}{n:D4}");
    public static Guid Theme(int p, int n) => Guid.Parse($"66666666-0000-0000-0001-0000000{p}{n:D4}");
    public static Guid District(int c, int n) => Guid.Parse($"66666666-0000-0000-0002-0000000{c}{n:D4}");
    public static Guid Event(int p, int n) => Guid.Parse($"66666666-0000-0000-0003-0000000{p}{n:D4}");
}

/// <param name="Visibility">Who sees the phase on top of the process (<see cref="ProcessVisibilities"/>), e.g. internal workshops.</param>
internal sealed record DemoPhase(string Title, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, PhaseSwitches Switches,
    string? Description = null, string Visibility = ProcessVisibilities.Public);

/// <param name="Fields">1-based numbers of the process's fields of action.</param>
/// <param name="Parent">Item number of the parent (vision or guiding goal).</param>
/// <param name="At">Where it is on the map (real coordinates in the city), or null.</param>
internal sealed record DemoItem(int Number, string Kind, string Title, string Description, int[] Fields, int[]? Themes = null,
    string? District = null, int? Parent = null, Priority? Priority = null, decimal? Cost = null, GeoPoint? At = null);

internal sealed record DemoIdea(int Number, string Title, string Description, int[] Fields, string? District, Guid AuthorId, string AuthorName,
    string? Status = null, string? Answer = null, GeoPoint? At = null);

internal sealed record DemoProgress(int Item, DateTimeOffset At, MonitoringStatus Status, int Progress, string Office, string? Note = null,
    MilestoneDto[]? Milestones = null);

internal sealed record DemoProcess(int Number, string Title, string Description, string City, DateOnly? StartsOn, DateOnly? EndsOn,
    DemoPhase[] Phases, (string Title, string? Description)[] Fields, (string Title, string? Description)[] Themes, DemoItem[] Items,
    DateTimeOffset ItemsCreatedAt, DemoIdea[]? Ideas = null, DemoProgress[]? Progress = null, DemoNews[]? News = null,
    DemoEvent[]? Events = null);

/// <param name="Body">Markdown, as staff would write it.</param>
internal sealed record DemoNews(DateTimeOffset At, string Title, string Body);

/// <param name="Phase">1-based number of the process's phase the event belongs to.</param>
/// <param name="Minutes">Markdown, for events that have taken place.</param>
internal sealed record DemoEvent(string Title, string Description, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place,
    string? OnlineUrl = null, int? Phase = null, int? Capacity = null, bool Registration = false, string? Minutes = null,
    GeoPoint? At = null, string? District = null);

internal static class DemoTime
{
    public static readonly PhaseSwitches Off = PhaseSwitches.AllOff;

    /// <summary>A day (and hour) on the city's clock, as UTC.</summary>
    public static DateTimeOffset Day(int year, int month, int day, int hour = 0) => CityTime.At(year, month, day, hour).ToUniversalTime();
}
