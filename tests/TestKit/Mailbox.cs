using System.Text.RegularExpressions;
using MimeKit;

namespace Mitreden.TestKit;

/// <summary>
/// The mails Identity wrote into a pickup folder (Mail:PickupDirectory: one .eml file a mail), read with MimeKit.
/// <see cref="OfStack"/> is the folder of the running stack; Identity's own tests give theirs. Every test project reads
/// mail here, so a link's shape is known once.
/// </summary>
public sealed partial class Mailbox(string directory)
{
    /// <summary>Paths of the links Identity mails (AccountMails), as tests look for them.</summary>
    public const string ConfirmEmailPath = "/konto/email-bestaetigen";
    public const string ResetPasswordPath = "/konto/passwort-zuruecksetzen";

    private readonly HashSet<string> _taken = [];

    public string Directory { get; } = directory;

    /// <summary>The mail folder of the stack <c>./mitreden test</c> started.</summary>
    public static Mailbox OfStack => new(Path.Combine(TestEnvironment.State
        ?? throw new InvalidOperationException("MITREDEN_STATE is not set; run through ./mitreden test."), "mail"));

    /// <summary>Every mail to <paramref name="address"/> so far, oldest first.</summary>
    public IReadOnlyList<Mail> To(string address) => Files().Select(Read).Where(m => m.IsTo(address)).ToList();

    /// <summary>
    /// The link to <paramref name="path"/> in the newest mail to <paramref name="address"/> that has one (waits for the
    /// background mail sender).
    /// </summary>
    public async Task<string> LinkAsync(string address, string path, TimeSpan? timeout = null)
    {
        string? link = null;
        await Eventually.TrueAsync(() =>
        {
            link = To(address).Reverse().Select(m => m.Link(path)).FirstOrDefault(l => l is not null);
            return Task.FromResult(link is not null);
        }, timeout ?? TimeSpan.FromSeconds(30), $"no mail to {address} with a {path} link in {Directory}");
        return link!;
    }

    /// <summary>
    /// The link to <paramref name="path"/> in the oldest mail to <paramref name="address"/> this mailbox has not handed out
    /// yet; each mail is handed out once, so a test sees the mail its own step caused.
    /// </summary>
    public async Task<string> NextLinkAsync(string address, string path, TimeSpan? timeout = null)
    {
        string? link = null;
        await Eventually.TrueAsync(() =>
        {
            lock (_taken)
            {
                foreach (var file in Files().Where(f => !_taken.Contains(f.FullName)))
                {
                    var mail = Read(file);
                    if (mail.IsTo(address) && mail.Link(path) is { } found)
                    {
                        _taken.Add(file.FullName);
                        link = found;
                        break;
                    }
                }
            }
            return Task.FromResult(link is not null);
        }, timeout ?? TimeSpan.FromSeconds(30), $"no new mail to {address} with a {path} link in {Directory}");
        return link!;
    }

    /// <summary>The account and one-time token of a confirmation or reset link (<c>?userId=…&amp;token=…</c>).</summary>
    public static (Guid UserId, string Token) UserAndToken(string link)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://mail.invalid"), link).Query);
        return (Guid.Parse(query["userId"] ?? throw new FormatException($"no userId in {link}")),
            query["token"] ?? throw new FormatException($"no token in {link}"));
    }

    private IEnumerable<FileInfo> Files() =>
        System.IO.Directory.Exists(Directory)
            ? new DirectoryInfo(Directory).GetFiles("*.eml").OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name)
            : [];

    private static Mail Read(FileInfo file)
    {
        using var stream = file.OpenRead();
        var message = MimeMessage.Load(stream);
        return new Mail(message.To.Mailboxes.Select(m => m.Address).ToList(), message.Subject ?? "",
            message.TextBody ?? message.HtmlBody ?? "", message.Headers);
    }

    /// <summary>One mail as tests look at it.</summary>
    public sealed record Mail(IReadOnlyList<string> Recipients, string Subject, string Body, HeaderList Headers)
    {
        public bool IsTo(string address) => Recipients.Any(r => string.Equals(r, address, StringComparison.OrdinalIgnoreCase));

        /// <summary>The first absolute link in the body whose path is <paramref name="path"/>, or null.</summary>
        public string? Link(string path) =>
            Links().Matches(Body).Select(m => m.Value).FirstOrDefault(l => Uri.TryCreate(l, UriKind.Absolute, out var uri) && uri.AbsolutePath == path);
    }

    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Links();
}
