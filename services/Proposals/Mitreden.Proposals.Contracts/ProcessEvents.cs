using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Contracts;

/// <summary>
/// Events of a process ("Veranstaltungen"): kick-offs, workshops, conferences, on site or online, optionally with
/// registration, a capacity and a waiting list. These records are the HTTP contract; the web uses them as they are.
/// </summary>
public static class EventLimits
{
    public const int TitleMax = 200;
    public const int DescriptionMax = 20_000;
    public const int PlaceMax = 300;
    public const int OnlineUrlMax = 500;
    public const int MinutesMax = 50_000;
    public const int CapacityMax = 100_000;
    public const int MaxPerProcess = 500;
}

/// <summary>Where a person's registration stands: a seat, or a place on the waiting list.</summary>
public static class RegistrationStatuses
{
    public const string Registered = "registered";
    public const string Waiting = "waiting";
}

/// <summary>An event to create or change. <paramref name="Description"/> is Markdown (rendered as news are).</summary>
/// <param name="Place">Address on site; at least one of place and <paramref name="OnlineUrl"/> (https only).</param>
/// <param name="Capacity">Seats when <paramref name="Registration"/> is on; null = no limit, so no waiting list.</param>
/// <param name="Location">Where it takes place on the map (inside the process's city), or null.</param>
/// <param name="District">A district slug of the process's city, or null.</param>
public sealed record ProcessEventRequest(string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Description = null,
    string? Place = null, string? OnlineUrl = null, Guid? PhaseId = null, IReadOnlyList<Guid>? FieldOfActionIds = null, bool Registration = false,
    int? Capacity = null, GeoPoint? Location = null, string? District = null);

/// <summary>The outcome after the event (Markdown); empty removes it.</summary>
public sealed record EventMinutesRequest(string? Minutes);

/// <param name="DescriptionHtml">Rendered from Markdown and sanitised; safe to embed as it is.</param>
/// <param name="MyStatus">The caller's registration (<see cref="RegistrationStatuses"/>), null when none or anonymous.</param>
public sealed record ProcessEvent(Guid Id, Guid ProcessId, string Title, string Description, string DescriptionHtml,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? OnlineUrl, Guid? PhaseId, IReadOnlyList<Guid> FieldOfActionIds,
    bool Registration, int? Capacity, int Registered, int Waiting, bool Cancelled, string? Minutes, string? MinutesHtml,
    string? MyStatus, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt, GeoPoint? Location = null,
    string? District = null);

/// <summary>One of the caller's own registrations ("Meine Anmeldungen").</summary>
public sealed record MyEventRegistration(Guid EventId, Guid ProcessId, string EventTitle, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    bool Cancelled, string Status, DateTimeOffset RegisteredAt);

/// <summary>A registration as staff see it for the sign-in sheet: the name the person had when registering, nothing more.</summary>
public sealed record EventAttendee(string Name, string Status, DateTimeOffset RegisteredAt);
