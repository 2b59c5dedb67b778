using System.Text;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.Moderation.Contracts;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>
/// Notification mails, German first with an English part (like <see cref="AccountMails"/>). Each carries RFC 8058
/// one-click unsubscribe headers: a mail program's "unsubscribe" POSTs to the link and turns that kind off (the
/// digest's turns the digest off).
/// </summary>
public static class NotificationMails
{
    public const string SettingsPath = "/konto/benachrichtigungen";

    public static OutgoingMail Single(IdentitySettings settings, UnsubscribeTokens tokens, string to, string displayName,
        Guid userId, Notification n)
    {
        var (german, english) = Describe(n);
        var unsubscribe = UnsubscribeLink(settings, tokens, userId, n.Kind);
        var body = new StringBuilder()
            .AppendLine($"Hallo {displayName},").AppendLine()
            .AppendLine(german)
            .Append(Extra(n))
            .AppendLine($"{settings.WebBaseUrl}{n.LinkPath}").AppendLine()
            .AppendLine($"Diese Benachrichtigung abbestellen: {unsubscribe}")
            .AppendLine($"Alle Einstellungen: {settings.WebBaseUrl}{SettingsPath}").AppendLine()
            .AppendLine("---").AppendLine()
            .AppendLine(english)
            .AppendLine("Unsubscribe from this kind of notification with the link above; all settings under the second link.")
            .ToString();
        return new OutgoingMail(to, $"{Subject(n.Kind).German} / {Subject(n.Kind).English}", body, Headers(unsubscribe));
    }

    public static OutgoingMail Digest(IdentitySettings settings, UnsubscribeTokens tokens, string to, string displayName,
        Guid userId, IReadOnlyList<Notification> items)
    {
        var body = new StringBuilder()
            .AppendLine($"Hallo {displayName},").AppendLine()
            .AppendLine("das ist neu bei Mitreden seit der letzten Zusammenfassung:").AppendLine();
        foreach (var group in items.OrderBy(n => n.CreatedAt).GroupBy(n => n.Kind))
        {
            body.AppendLine($"{Subject(group.Key).German}:");
            foreach (var n in group)
            {
                body.AppendLine($"- {Describe(n).German}").Append(Extra(n)).AppendLine($"  {settings.WebBaseUrl}{n.LinkPath}");
            }
            body.AppendLine($"  Abbestellen: {UnsubscribeLink(settings, tokens, userId, group.Key)}").AppendLine();
        }
        var unsubscribe = UnsubscribeLink(settings, tokens, userId, UnsubscribeTokens.WholeDigest);
        body.AppendLine($"Die tägliche Zusammenfassung abbestellen: {unsubscribe}")
            .AppendLine($"Alle Einstellungen: {settings.WebBaseUrl}{SettingsPath}").AppendLine()
            .AppendLine("---").AppendLine()
            .AppendLine($"Your daily Mitreden digest: {items.Count} new notification(s), listed above.");
        foreach (var n in items.OrderBy(n => n.CreatedAt))
        {
            body.AppendLine($"- {Describe(n).English}");
        }
        body.AppendLine("Unsubscribe from the digest or from one kind with the links above.");
        return new OutgoingMail(to, $"Ihre tägliche Zusammenfassung ({items.Count}) / Your daily digest", body.ToString(), Headers(unsubscribe));
    }

    private static string UnsubscribeLink(IdentitySettings settings, UnsubscribeTokens tokens, Guid userId, string kind) =>
        $"{settings.WebBaseUrl}/api/identity{UnsubscribeTokens.Path}?token={tokens.Create(userId, kind)}";

    private static IReadOnlyList<KeyValuePair<string, string>> Headers(string unsubscribe) =>
    [
        new("List-Unsubscribe", $"<{unsubscribe}>"),
        new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    ];

    public static (string German, string English) Subject(string kind) => kind switch
    {
        NotificationKinds.Reply => ("Neue Antwort auf Ihren Beitrag", "New reply to your comment"),
        NotificationKinds.Moderation => ("Entscheidung der Moderation zu Ihrem Beitrag", "Moderation decision on your comment"),
        NotificationKinds.Ballot => ("Neue Abstimmung", "New ballot"),
        NotificationKinds.Phase => ("Neue Phase", "New phase"),
        NotificationKinds.Results => ("Ergebnisse veröffentlicht", "Results published"),
        NotificationKinds.News => ("Neuigkeiten", "News"),
        NotificationKinds.Event => ("Erinnerung an eine Veranstaltung", "Event reminder"),
        _ => ("Benachrichtigung", "Notification"),
    };

    private static (string German, string English) Describe(Notification n) => n.Kind switch
    {
        NotificationKinds.Reply => ($"Jemand hat auf Ihren Beitrag geantwortet: „{n.Title}“", $"Someone replied to your comment: \"{n.Title}\""),
        NotificationKinds.Moderation => (ModerationGerman(n), ModerationEnglish(n)),
        NotificationKinds.Ballot => ($"In einem Beteiligungsverfahren, dem Sie folgen, ist die Abstimmung „{n.Title}“ geöffnet.",
            $"A ballot opened in a process you follow: \"{n.Title}\"."),
        NotificationKinds.Phase => ($"In einem Beteiligungsverfahren, dem Sie folgen, hat die Phase „{n.Title}“ begonnen.",
            $"A new phase started in a process you follow: \"{n.Title}\"."),
        NotificationKinds.Results => ("In einem Beteiligungsverfahren, dem Sie folgen, sind Abstimmungsergebnisse veröffentlicht.",
            "Ballot results were published in a process you follow."),
        NotificationKinds.News => ($"Neuigkeiten in einem Beteiligungsverfahren, dem Sie folgen: „{n.Title}“",
            $"News in a process you follow: \"{n.Title}\""),
        NotificationKinds.Event => ($"Erinnerung: In einem Beteiligungsverfahren, dem Sie folgen, findet die Veranstaltung „{n.Title}“ statt: {n.Detail}.",
            $"Reminder: the event \"{n.Title}\" of a process you follow takes place: {n.Detail}."),
        _ => (n.Title, n.Title),
    };

    private static string Extra(Notification n) => n.Kind == NotificationKinds.Moderation && !string.IsNullOrWhiteSpace(n.Detail)
        ? $"Hinweis der Moderation / Note: {n.Detail}{Environment.NewLine}"
        : "";

    private static string ModerationGerman(Notification n)
    {
        var what = n.Title switch
        {
            Decisions.Hide => "Die Moderation hat Ihren Beitrag ausgeblendet.",
            Decisions.Approve => "Die Moderation hat Ihren Beitrag freigegeben.",
            Decisions.Restore => "Die Moderation hat Ihren Beitrag wieder eingeblendet.",
            _ => "Die Moderation hat über Ihren Beitrag entschieden.",
        };
        return n.Reason is null ? what : $"{what} Grund: {ReasonGerman(n.Reason)}.";
    }

    private static string ModerationEnglish(Notification n)
    {
        var what = n.Title switch
        {
            Decisions.Hide => "A moderator hid your comment.",
            Decisions.Approve => "A moderator approved your comment.",
            Decisions.Restore => "A moderator restored your comment.",
            _ => "A moderator decided on your comment.",
        };
        return n.Reason is null ? what : $"{what} Reason: {n.Reason}.";
    }

    private static string ReasonGerman(string reason) => reason switch
    {
        HideReasons.Insult => "Beleidigung",
        HideReasons.Spam => "Spam",
        HideReasons.OffTopic => "nicht zum Thema",
        HideReasons.PersonalData => "persönliche Daten",
        HideReasons.Advertising => "Werbung",
        HideReasons.Illegal => "rechtswidriger Inhalt",
        _ => "sonstiger Grund",
    };

}
