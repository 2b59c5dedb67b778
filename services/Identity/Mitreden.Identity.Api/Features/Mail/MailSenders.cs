using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace Mitreden.Identity.Api.Features.Mail;

/// <param name="Headers">Extra headers (e.g. List-Unsubscribe of notifications); null for none.</param>
public sealed record OutgoingMail(string To, string Subject, string Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null);

/// <summary>Sends mails: over SMTP when Mail:Smtp:Host is set, otherwise as .eml files for local use.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}

public sealed class MailSettings
{
    public string From { get; set; } = "Mitreden <keine-antwort@mitreden.local>";
    public SmtpSettings Smtp { get; set; } = new();
    /// <summary>Folder for .eml files when no SMTP host is configured (default: "mail" under the content root).</summary>
    public string? PickupDirectory { get; set; }

    public sealed class SmtpSettings
    {
        public string? Host { get; set; }
        public int Port { get; set; } = 587;
        /// <summary>
        /// True: TLS required (implicit TLS on port 465, STARTTLS elsewhere). False: plain, for a local test server
        /// such as smtp4dev only.
        /// </summary>
        public bool EnableSsl { get; set; } = true;
        public string? Username { get; set; }
        public string? Password { get; set; }
        /// <summary>Connect, send and quit must finish within this many seconds.</summary>
        public int TimeoutSeconds { get; set; } = 30;
    }

    public const string Section = "Mail";

    /// <summary>
    /// Binds section "Mail", checked at start (not at the first registration); <see cref="PickupDirectory"/> defaults to
    /// "mail" under the content root, a relative one is taken from there.
    /// </summary>
    public static OptionsBuilder<MailSettings> Add(IServiceCollection services) =>
        services.AddOptions<MailSettings>().BindConfiguration(Section)
            .PostConfigure<IHostEnvironment>((s, environment) => s.PickupDirectory = Path.GetFullPath(
                string.IsNullOrWhiteSpace(s.PickupDirectory) ? Path.Combine(environment.ContentRootPath, "mail") : s.PickupDirectory,
                environment.ContentRootPath))
            .Validate(s => MailboxAddress.TryParse(s.From, out _), "Mail:From must be a mail address (e.g. \"Mitreden <keine-antwort@example.org>\").")
            .Validate(s => s.Smtp.Port is >= 1 and <= 65535, "Mail:Smtp:Port must be 1..65535.")
            .Validate(s => s.Smtp.TimeoutSeconds >= 1, "Mail:Smtp:TimeoutSeconds must be at least 1.")
            .ValidateOnStart();

    /// <param name="encoding">Quoted-printable for SMTP (safe everywhere); 8bit for .eml files, so they stay readable as text too.</param>
    internal MimeMessage CreateMessage(OutgoingMail mail, ContentEncoding encoding)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Date = DateTimeOffset.UtcNow;
        foreach (var (name, value) in mail.Headers ?? [])
        {
            message.Headers.Add(name, value);
        }
        var body = new TextPart(TextFormat.Plain) { ContentTransferEncoding = encoding };
        body.SetText("utf-8", mail.Body.ReplaceLineEndings("\r\n"));
        message.Body = body;
        return message;
    }
}

public sealed class SmtpMailSender(MailSettings settings) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        using var message = settings.CreateMessage(mail, ContentEncoding.QuotedPrintable);
        using var client = new SmtpClient { Timeout = settings.Smtp.TimeoutSeconds * 1000 };
        var security = !settings.Smtp.EnableSsl ? SecureSocketOptions.None
            : settings.Smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(settings.Smtp.Host!, settings.Smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(settings.Smtp.Username))
        {
            await client.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? "", ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}

/// <summary>
/// Writes each mail as an .eml file that a mail program opens (local development, demos, tests). The file is
/// written into a staging folder and then moved, so a reader of the pickup folder never sees half a mail.
/// </summary>
public sealed class PickupDirectoryMailSender(MailSettings settings) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var staging = Path.Combine(settings.PickupDirectory!, ".staging");
        Directory.CreateDirectory(staging);
        var name = Guid.NewGuid().ToString("N") + ".eml";
        var staged = Path.Combine(staging, name);
        try
        {
            using (var message = settings.CreateMessage(mail, ContentEncoding.EightBit))
            {
                await message.WriteToAsync(staged, ct);
            }
            File.Move(staged, Path.Combine(settings.PickupDirectory!, name));
        }
        finally
        {
            File.Delete(staged);
        }
    }
}

/// <summary>
/// Mails are handed to a background sender, so an endpoint answers equally fast whether or not it sends one
/// (password reset must not reveal which addresses have accounts) and a slow mail server delays nobody.
/// </summary>
public sealed class MailQueue
{
    private readonly Channel<OutgoingMail> _channel = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool Enqueue(OutgoingMail mail) => _channel.Writer.TryWrite(mail);

    internal ChannelReader<OutgoingMail> Reader => _channel.Reader;
}

public sealed class MailDispatcher(MailQueue queue, IMailSender sender, ILogger<MailDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var mail in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await sender.SendAsync(mail, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Never the address, the body (it holds a token) or the server's reply (it may quote the address).
                    logger.LogError("Sending a mail failed: {Error}", MailErrors.Describe(ex));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public static class MailErrors
{
    /// <summary>What a log may say about a failed send: never the server's reply text (it may quote the address).</summary>
    public static string Describe(Exception ex) => ex switch
    {
        SmtpCommandException command => $"SMTP {(int)command.StatusCode} ({command.ErrorCode})",
        SmtpProtocolException => "SMTP protocol error",
        _ => ex.GetType().Name,
    };
}
