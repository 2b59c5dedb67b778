using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using System.Threading.Channels;

namespace Mitreden.Identity.Api.Features.Mail;

public sealed record OutgoingMail(string To, string Subject, string Body);

/// <summary>Sends account mails: over SMTP when Mail:Smtp:Host is set, otherwise as .eml files for local use.</summary>
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
        public bool EnableSsl { get; set; } = true;
        public string? Username { get; set; }
        public string? Password { get; set; }
    }

    public static MailSettings Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection("Mail").Get<MailSettings>() ?? new MailSettings();
        settings.PickupDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(settings.PickupDirectory)
            ? Path.Combine(environment.ContentRootPath, "mail")
            : settings.PickupDirectory, environment.ContentRootPath);
        _ = new MailAddress(settings.From); // fail at start, not at the first registration
        return settings;
    }

    /// <param name="transferEncoding">Quoted-printable for SMTP (safe everywhere); 8bit for .eml files, so they stay readable as text too.</param>
    internal MailMessage CreateMessage(OutgoingMail mail, TransferEncoding transferEncoding)
    {
        var message = new MailMessage(new MailAddress(From), new MailAddress(mail.To))
        {
            Subject = mail.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = mail.Body.ReplaceLineEndings("\r\n"),
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = transferEncoding,
            IsBodyHtml = false,
        };
        return message;
    }
}

public sealed class SmtpMailSender(MailSettings settings) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        using var message = settings.CreateMessage(mail, TransferEncoding.QuotedPrintable);
        using var client = new SmtpClient(settings.Smtp.Host, settings.Smtp.Port) { EnableSsl = settings.Smtp.EnableSsl };
        if (!string.IsNullOrEmpty(settings.Smtp.Username))
        {
            client.Credentials = new NetworkCredential(settings.Smtp.Username, settings.Smtp.Password);
        }
        await client.SendMailAsync(message, ct);
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
        var staging = Path.Combine(settings.PickupDirectory!, ".staging", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            using (var message = settings.CreateMessage(mail, TransferEncoding.EightBit))
            using (var client = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = staging })
            {
                await client.SendMailAsync(message, ct);
            }
            foreach (var file in Directory.GetFiles(staging, "*.eml"))
            {
                File.Move(file, Path.Combine(settings.PickupDirectory!, Path.GetFileName(file)));
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
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
                    logger.LogError("Sending a mail failed: {Error}", ex is SmtpException smtp ? $"SMTP {smtp.StatusCode}" : ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
