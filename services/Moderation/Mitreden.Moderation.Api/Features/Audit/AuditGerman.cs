using System.Globalization;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts;

namespace Mitreden.Moderation.Api.Features.Audit;

/// <summary>
/// The audit log's codes as German readers of the csv-de export see them. The csv export keeps the codes (it is
/// read by programs); an unknown code (one added later) is written as it is rather than dropped.
/// </summary>
internal static class AuditGerman
{
    public const string Automatic = "automatisch";

    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        [Decisions.Approve] = "freigegeben",
        [Decisions.Hide] = "ausgeblendet",
        [Decisions.Restore] = "wiederhergestellt",
        [Decisions.HoldForReview] = "zur Prüfung zurückgehalten",
        [AuditActions.BlockAuthor] = "Verfasser gesperrt",
        [AuditActions.ScreeningRulesUpdated] = "Prüfregeln geändert",
        [AuditActions.ScreeningRulesReset] = "Prüfregeln zurückgesetzt",
    };

    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        [HideReasons.Insult] = "Beleidigung",
        [HideReasons.Spam] = "Spam",
        [HideReasons.OffTopic] = "nicht zum Thema",
        [HideReasons.PersonalData] = "personenbezogene Daten",
        [HideReasons.Advertising] = "Werbung",
        [HideReasons.Illegal] = "rechtswidrig",
        [HideReasons.Other] = "sonstiger Grund",
    };

    private static readonly Dictionary<string, string> States = new(StringComparer.Ordinal)
    {
        [CommentStates.Visible] = "sichtbar",
        [CommentStates.AwaitingReview] = "wartet auf Prüfung",
        [CommentStates.Held] = "zurückgehalten",
        [CommentStates.Hidden] = "ausgeblendet",
        [CommentStates.Deleted] = "gelöscht",
    };

    public static string Action(string action) => Actions.GetValueOrDefault(action, action);

    public static string? Reason(string? reason) => reason is null ? null : Reasons.GetValueOrDefault(reason, reason);

    public static string? State(string? state) => state is null ? null : States.GetValueOrDefault(state, state);

    /// <summary>Berlin time to the second, as German spreadsheets read it ("07.12.2026 09:15:02").</summary>
    public static string LocalTime(DateTimeOffset at)
    {
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            return TimeZoneInfo.ConvertTime(at, zone).ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture);
        }
        catch (TimeZoneNotFoundException)
        {
            return at.UtcDateTime.ToString("dd.MM.yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        }
    }
}
