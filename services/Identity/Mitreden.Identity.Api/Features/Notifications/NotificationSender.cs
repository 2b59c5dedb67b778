using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Mail;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>
/// Sends due notifications, one recipient per transaction: their due rows are locked (<c>FOR UPDATE SKIP LOCKED</c>, so
/// several instances share the work and never send a row twice), mailed — each immediate one alone, the digest's
/// together — and marked sent in the same transaction. A failed send leaves the rows unsent and due again after a
/// growing delay; nothing is dropped. A crash between the mail server's acceptance and the commit can send a mail
/// twice (at least once, never lost).
/// </summary>
public sealed class NotificationSender(IServiceScopeFactory scopes, IMailSender mail, IdentitySettings settings,
    UnsubscribeTokens tokens, NotificationOptions options, TimeProvider time, ILogger<NotificationSender> logger) : BackgroundService
{
    public const string Sent = "sent";
    public const string KindOff = "off";
    public const string Unconfirmed = "unconfirmed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError("Sending notifications failed: {Error}", ex.GetType().Name);
            }
            try
            {
                await Task.Delay(options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Works through everyone with due notifications, until none is left or the mail server fails.</summary>
    internal async Task SendDueAsync(CancellationToken ct)
    {
        for (var recipients = 0; recipients < options.BatchSize; recipients++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var due = await db.Notifications.FromSql($"""
                SELECT * FROM notifications
                WHERE sent_at IS NULL AND due_at <= {now} AND recipient_id = (
                    SELECT recipient_id FROM notifications WHERE sent_at IS NULL AND due_at <= {now}
                    ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                ORDER BY id
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            if (due.Count == 0)
            {
                return;
            }
            var delivered = await SendAsync(db, due, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (!delivered)
            {
                return; // the server is likely down for everyone: try again at the next poll
            }
        }
    }

    private async Task<bool> SendAsync(IdentityDb db, List<Notification> due, DateTimeOffset now, CancellationToken ct)
    {
        var recipientId = due[0].RecipientId;
        var person = await db.Users.AsNoTracking().Where(u => u.Id == recipientId)
            .Select(u => new { u.Email, u.EmailConfirmed, u.DisplayName }).SingleOrDefaultAsync(ct);
        var modes = await db.NotificationSettings.AsNoTracking().Where(s => s.UserId == recipientId)
            .ToDictionaryAsync(s => s.Kind, s => s.Mode, ct);
        var wanted = new List<Notification>();
        foreach (var n in due)
        {
            if (person is null || !person.EmailConfirmed || string.IsNullOrEmpty(person.Email))
            {
                Settle(n, Unconfirmed, now);
            }
            else if (modes.GetValueOrDefault(n.Kind, NotificationKinds.DefaultMode(n.Kind)) == NotificationModes.Off)
            {
                Settle(n, KindOff, now); // turned off after it was written (e.g. by the unsubscribe link)
            }
            else
            {
                wanted.Add(n);
            }
        }
        if (wanted.Count == 0)
        {
            return true;
        }
        var mails = wanted.Where(n => !n.Digest)
            .Select(n => (Rows: (IReadOnlyList<Notification>)[n], Mail: NotificationMails.Single(settings, tokens, person!.Email!, person.DisplayName, recipientId, n)))
            .ToList();
        var digest = wanted.Where(n => n.Digest).ToList();
        if (digest.Count > 0)
        {
            mails.Add((digest, NotificationMails.Digest(settings, tokens, person!.Email!, person.DisplayName, recipientId, digest)));
        }
        foreach (var (rows, outgoing) in mails)
        {
            try
            {
                await mail.SendAsync(outgoing, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                foreach (var n in wanted.Where(n => n.SentAt is null))
                {
                    n.Attempts++;
                    n.DueAt = now + options.RetryAfter(n.Attempts);
                }
                // Never the address or the body; the notification ids say which rows wait.
                logger.LogWarning("Sending notification mail failed ({Error}); {Count} notification(s) retried from {DueAt}",
                    MailErrors.Describe(ex), wanted.Count(n => n.SentAt is null), wanted.Where(n => n.SentAt is null).Min(n => n.DueAt));
                return false;
            }
            foreach (var n in rows)
            {
                Settle(n, Sent, time.GetUtcNow());
            }
        }
        return true;
    }

    private static void Settle(Notification n, string outcome, DateTimeOffset at)
    {
        n.SentAt = at;
        n.Outcome = outcome;
    }
}
