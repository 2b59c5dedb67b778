using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;

namespace Mitreden.TestKit;

/// <summary>
/// The mails Identity sent, read with MimeKit: from a pickup folder (Mail:PickupDirectory: one .eml file a mail), or from
/// smtp4dev's REST API when the stack runs one (MITREDEN_SMTP4DEV_URL, which ./mitreden sets). <see cref="OfStack"/>
/// is the running stack's; Identity's own tests give their folder. Every test project reads mail here, so a link's
/// shape is known once.
/// </summary>
public sealed partial class Mailbox(string directory, Uri? smtp4dev = null)
{
    /// <summary>Paths of the links Identity mails (AccountMails), as tests look for them.</summary>
    public const string ConfirmEmailPath = "/konto/email-bestaetigen";
    public const string ResetPasswordPath = "/konto/passwort-zuruecksetzen";

    private readonly HashSet<string> _taken = [];

    public string Directory { get; } = directory;

    /// <summary>The mails of the stack <c>./mitreden test</c> started: its smtp4dev when it runs one, else its mail folder.</summary>
    public static Mailbox OfStack => new(Path.Combine(TestEnvironment.State
        ?? throw new InvalidOperationException("MITREDEN_STATE is not set; run through ./mitreden test."), "mail"),
        Environment.GetEnvironmentVariable("MITREDEN_SMTP4DEV_URL") is { Length: > 0 } url ? new Uri(url) : null);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>smtp4dev's messages by id; a message never changes, so each is fetched once.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Mail> Fetched = new();

    /// <summary>Every mail to <paramref name="address"/> so far, oldest first.</summary>
    public IReadOnlyList<Mail> To(string address) => All().Select(m => m.Mail).Where(m => m.IsTo(address)).ToList();

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
                foreach (var (key, mail) in All().Where(m => !_taken.Contains(m.Key)))
                {
                    if (mail.IsTo(address) && mail.Link(path) is { } found)
                    {
                        _taken.Add(key);
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

    /// <summary>Every mail, oldest first, with a key that names it for good (file path or smtp4dev id).</summary>
    private IEnumerable<(string Key, Mail Mail)> All() =>
        smtp4dev is null ? Files().Select(f => (f.FullName, Read(f))) : FromSmtp4dev();

    private IEnumerable<(string Key, Mail Mail)> FromSmtp4dev()
    {
        var page = Http.GetFromJsonAsync<JsonElement>(new Uri(smtp4dev!, "/api/messages?page=1&pageSize=100000")).GetAwaiter().GetResult();
        var summaries = page.GetProperty("results").EnumerateArray()
            .Select(m => (Id: m.GetProperty("id").GetString()!, At: m.GetProperty("receivedDate").GetDateTimeOffset()))
            .OrderBy(m => m.At).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        foreach (var (id, _) in summaries)
        {
            // "/raw" is the whole message as received; "/source" would be the body alone.
            yield return ("smtp4dev:" + id, Fetched.GetOrAdd(id, key =>
            {
                using var stream = Http.GetStreamAsync(new Uri(smtp4dev!, $"/api/messages/{key}/raw")).GetAwaiter().GetResult();
                return FromMessage(MimeMessage.Load(stream));
            }));
        }
    }

    private IEnumerable<FileInfo> Files() =>
        System.IO.Directory.Exists(Directory)
            ? new DirectoryInfo(Directory).GetFiles("*.eml").OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name)
            : [];

    private static Mail Read(FileInfo file)
    {
        using var stream = file.OpenRead();
        return FromMessage(MimeMessage.Load(stream));
    }

    private static Mail FromMessage(MimeMessage message)
    {
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
