using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using FluentAssertions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.Identity.Api;
using Mitreden.Identity.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.TestKit;
using MimeKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>
/// Identity sending over real SMTP (MailKit) to a server that is down at first: the notification stays in the table,
/// is retried with backoff, and is delivered once when the server is back.
/// </summary>
public sealed class NotificationOutageTests : IAsyncLifetime
{
    private readonly ServiceFactory<IdentityDb> _factory = new("identityoutage") { UseTestIssuerKeys = false };
    private readonly int _port = FreePort();

    public async Task InitializeAsync()
    {
        _factory
            .With("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .With("Identity:SigningKeys:0:Pem", IdentityFixture.NewSigningKeyPem())
            .With("Identity:WebClient:Secret", IdentityFixture.WebClientSecret)
            .With("Identity:RedisKeyPrefix", "identity-outage-" + Guid.NewGuid().ToString("N"))
            .With("Mail:Smtp:Host", "127.0.0.1")
            .With("Mail:Smtp:Port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Mail:Smtp:EnableSsl", "false")
            .With("Mail:Smtp:TimeoutSeconds", "5")
            .With("Notifications:PollInterval", "00:00:00.300")
            .With("Notifications:RetryDelay", "00:00:01")
            .With("Notifications:MaxRetryDelay", "00:00:02");
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _ = _factory.Server;
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task Reply_MailServerDown_RetriedAndDeliveredOnceWhenBack()
    {
        var person = await PersonWithConfirmedAddressAsync();
        var bus = _factory.Services.GetRequiredService<IBus>();
        var process = Guid.NewGuid();
        await bus.Publish(new ProcessVisibilityChanged(process, ProcessVisibilities.Public, [], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await InDbAsync(db => db.ProcessAudiences.AnyAsync(a => a.ProcessId == process))).Should().BeTrue());
        var reply = new CommentPosted(Guid.NewGuid(), Guid.NewGuid(), process, Guid.NewGuid(), Guid.NewGuid(), "Antwort während der Störung",
            Stances.Neutral, false, DateTimeOffset.UtcNow, person.Id);

        await bus.Publish(reply);

        var failed = await Eventually.ValueAsync(() => InDbAsync(db => db.Notifications.SingleOrDefaultAsync(n => n.SourceId == reply.CommentId)),
            n => n is { Attempts: >= 2 }, TimeSpan.FromSeconds(30));
        failed.Should().NotBeNull();
        failed!.Attempts.Should().BeGreaterThanOrEqualTo(2, "the sender keeps trying while the server is down");
        failed.SentAt.Should().BeNull();

        using var server = new TinySmtpServer(_port);
        var received = await Eventually.ValueAsync(() => Task.FromResult(server.Messages.ToList()), m => m.Count > 0, TimeSpan.FromSeconds(30));
        var sent = await Eventually.ValueAsync(() => InDbAsync(db => db.Notifications.SingleAsync(n => n.SourceId == reply.CommentId)),
            n => n.SentAt is not null);
        await Task.Delay(1500); // a few more polls: nothing is sent again

        sent.Outcome.Should().Be("sent");
        var mails = server.Messages.Where(m => m.Subject?.Contains("Neue Antwort") == true).ToList();
        mails.Should().ContainSingle();
        mails[0].To.Mailboxes.Single().Address.Should().Be(person.Email);
        mails[0].TextBody.Should().Contain("Antwort während der Störung");
        mails[0].Headers["List-Unsubscribe-Post"].Should().Be("List-Unsubscribe=One-Click");
        received.Should().NotBeEmpty();
        _factory.Logs.Since(DateTimeOffset.MinValue).Should().NotContain(e => e.Message.Contains(person.Email) || e.Message.Contains("Störung"),
            "no address or body in logs");
        _factory.Logs.Since(DateTimeOffset.MinValue).Should().Contain(e => e.Message.Contains("Sending notification mail failed"));
    }

    private async Task<(Guid Id, string Email)> PersonWithConfirmedAddressAsync()
    {
        var email = IdentityFixture.NewEmail();
        var users = _factory.Services.CreateAsyncScope();
        await using (users)
        {
            var manager = users.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<MitredenUser>>();
            var user = new MitredenUser
            {
                Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Störfall",
                CreatedAt = DateTimeOffset.UtcNow,
            };
            (await manager.CreateAsync(user, IdentityFixture.Password)).Succeeded.Should().BeTrue();
            return (user.Id, email);
        }
    }

    private async Task<T> InDbAsync<T>(Func<IdentityDb, Task<T>> query)
    {
        await using var scope = _factory.Scope();
        return await query(scope.ServiceProvider.GetRequiredService<IdentityDb>());
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Just enough SMTP to accept mail (EHLO, MAIL, RCPT, DATA, QUIT), keeping each message.</summary>
    private sealed class TinySmtpServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();

        public TinySmtpServer(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _ = AcceptAsync();
        }

        public System.Collections.Concurrent.ConcurrentQueue<MimeMessage> Messages { get; } = new();

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.Latin1);
                var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 tiny");
                while (await reader.ReadLineAsync() is { } line)
                {
                    var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    if (command == "DATA")
                    {
                        await writer.WriteLineAsync("354 go on");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }
                        Messages.Enqueue(MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(data.ToString()))));
                        await writer.WriteLineAsync("250 kept");
                    }
                    else if (command == "QUIT")
                    {
                        await writer.WriteLineAsync("221 bye");
                        return;
                    }
                    else
                    {
                        await writer.WriteLineAsync("250 ok");
                    }
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
