using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Auth;
using Xunit;

namespace Mitreden.TestKit;

/// <summary>
/// One Mitreden service in-process, on its own real PostgreSQL database and RabbitMQ virtual host (or a shared
/// one, to let two services talk), with tokens from a <see cref="TestIssuer"/>.
/// </summary>
public class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    private readonly string _name;
    private readonly bool _ownsVirtualHost;
    private readonly Dictionary<string, string?> _settings = new();
    private TestDatabase? _database;

    public ServiceFactory(string name, TestIssuer? issuer = null, TestVirtualHost? sharedVirtualHost = null)
    {
        _name = name;
        Issuer = issuer ?? new TestIssuer();
        VirtualHost = sharedVirtualHost!;
        _ownsVirtualHost = sharedVirtualHost is null;
    }

    public TestIssuer Issuer { get; }
    /// <summary>Warnings and errors the service logged.</summary>
    public LogCapture Logs { get; } = new();
    public TestVirtualHost VirtualHost { get; private set; }
    public TestDatabase Database => _database ?? throw new InvalidOperationException("Call InitializeAsync first.");
    public string Audience => $"mitreden-{_name}";

    /// <summary>
    /// True (default): the service validates tokens against the <see cref="Issuer"/>'s key. Identity's own tests
    /// set it to false, so Identity validates the tokens it issues itself.
    /// </summary>
    public bool UseTestIssuerKeys { get; init; } = true;

    /// <summary>Extra configuration for the service under test; set before the first client is created.</summary>
    public ServiceFactory<TProgram> With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public virtual async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(_name);
        if (_ownsVirtualHost)
        {
            VirtualHost = await TestVirtualHost.CreateAsync(_name);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:postgres", Database.ConnectionString);
        builder.UseSetting("ConnectionStrings:redis", TestEnvironment.Redis);
        builder.UseSetting("ConnectionStrings:rabbitmq", VirtualHost.AmqpUri);
        builder.UseSetting("Auth:Issuer", TestIssuer.Issuer);
        builder.UseSetting("Auth:Audience", Audience);
        // Nothing is fetched: the service gets the keys in-process (below, or Identity from its own ring).
        builder.UseSetting("Auth:RequireHttpsMetadata", "false");
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            services.Configure<LoggerFilterOptions>(o => o.AddFilter<LogCapture>(LogCapture.SavingCategory, LogLevel.Debug));
            if (!UseTestIssuerKeys)
            {
                return;
            }
            services.Configure<JwtBearerOptions>(AuthExtensions.SchemeName, o =>
            {
                o.Configuration = Issuer.Configuration;
                o.TokenValidationParameters.IssuerSigningKeyResolver = null;
            });
        });
    }

    /// <summary>A client calling as a signed-in user.</summary>
    public HttpClient ClientFor(Guid userId, IEnumerable<string>? roles = null, string verification = "email", string? district = null, string? name = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Issuer.Token(userId, Audience, roles, verification, district, name));
        return client;
    }

    public HttpClient Citizen(out Guid userId, string verification = "email", string? district = null)
    {
        userId = Guid.NewGuid();
        return ClientFor(userId, ["citizen"], verification, district);
    }

    public HttpClient Staff() => ClientFor(Guid.NewGuid(), ["staff"]);
    public HttpClient Moderator() => ClientFor(Guid.NewGuid(), ["moderator"]);
    public HttpClient Anonymous() => CreateClient();

    /// <summary>
    /// Starts the service with the settings given so far, expecting it to refuse: the messages of the exception and of
    /// every exception inside it (the host may wrap the first), or null when it started. Cleans up either way.
    /// </summary>
    public async Task<string?> StartFailureAsync()
    {
        IAsyncLifetime lifetime = this;
        await lifetime.InitializeAsync();
        try
        {
            return Record.Exception(() => CreateClient()) is { } error ? ExceptionMessages.Of(error) : null;
        }
        finally
        {
            await lifetime.DisposeAsync();
        }
    }

    /// <summary>A fresh scope for looking into the service's own database in assertions.</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        if (_ownsVirtualHost && VirtualHost is not null)
        {
            await VirtualHost.DisposeAsync();
        }
    }
}
