using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Ui;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Tests;

public sealed class MapTests
{
    [Fact]
    public void MapSettings_Default_IsOpenStreetMapWithItsAttribution()
    {
        var settings = new MapSettings();
        MapSettings.Valid(settings).Should().BeTrue();
        settings.TileOrigin.Should().Be("https://tile.openstreetmap.org");
        settings.Attribution.Should().Be("© OpenStreetMap-Mitwirkende");
    }

    [Theory]
    [InlineData("https://tiles.example.org/{z}/{x}/{y}.png", true)]
    [InlineData("http://127.0.0.1:19080/img/map-test-tile.png?z={z}&x={x}&y={y}", true)]
    [InlineData("/img/{z}/{x}/{y}.png", false)]
    [InlineData("https://tiles.example.org/{z}/{x}.png", false)]
    [InlineData("javascript:alert(1)//{z}{x}{y}", false)]
    [InlineData("https://user:pw@tiles.example.org/{z}/{x}/{y}.png", false)]
    public void MapSettings_TileUrl_MustBeAnAbsoluteTemplate(string url, bool valid) =>
        MapSettings.Valid(new MapSettings { TileUrl = url }).Should().Be(valid);

    [Fact]
    public async Task Csp_AllowsImagesFromTheConfiguredTileHostOnly()
    {
        var services = new ServiceCollection();
        services.AddOptions();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Web:Map:TileUrl"] = "https://karte.example.de:8443/tiles/{z}/{x}/{y}.png" })
            .Build());
        MapSettings.Add(services);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SecurityHeadersOptions>>();

        var csp = await CspAsync(options);
        csp.Should().Contain("img-src 'self' data: https://karte.example.de:8443;");
        csp.Should().NotContain("openstreetmap").And.Contain("connect-src 'self';").And.Contain("script-src 'self' 'nonce-");
        (await CspAsync(Options.Create(new SecurityHeadersOptions()))).Should().Contain("img-src 'self' data:;", "without a map nothing foreign");
    }

    private static async Task<string> CspAsync(IOptions<SecurityHeadersOptions> options)
    {
        var response = new StartingResponse();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(response);
        await new SecurityHeadersMiddleware(_ => Task.CompletedTask, options).InvokeAsync(context, new CspNonce());
        foreach (var (callback, state) in response.Starting)
        {
            await callback(state);
        }
        return context.Response.Headers.ContentSecurityPolicy.ToString();
    }

    private sealed class StartingResponse : HttpResponseFeature
    {
        public List<(Func<object, Task> Callback, object State)> Starting { get; } = [];

        public override void OnStarting(Func<object, Task> callback, object state) => Starting.Add((callback, state));
    }

    [Theory]
    [InlineData("51.6146", "7.5283", 51.6146, 7.5283)]
    [InlineData(" 51,6146 ", "-7,5", 51.6146, -7.5)]
    public void LocationInput_BothNumbers_MakeAPoint_InEitherNotation(string lat, string lon, double expectedLat, double expectedLon)
    {
        var state = new ModelStateDictionary();
        LocationInput.TryRead(lat, lon, "Latitude", "Longitude", state, new Words(), out var point).Should().BeTrue();
        point.Should().Be(new GeoPoint(expectedLat, expectedLon));
        state.IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("", "", true, null)]
    [InlineData("51.6", "", false, "Longitude")]
    [InlineData("abc", "7.5", false, "Latitude")]
    [InlineData("1e5", "7.5", false, "Latitude")]
    public void LocationInput_EmptyOrIncomplete(string lat, string lon, bool ok, string? errorField)
    {
        var state = new ModelStateDictionary();
        LocationInput.TryRead(lat, lon, "Latitude", "Longitude", state, new Words(), out var point).Should().Be(ok);
        point.Should().BeNull();
        if (errorField is not null)
        {
            state[errorField]!.Errors.Should().ContainSingle();
        }
    }

    private sealed class Words : IStringLocalizer
    {
        public LocalizedString this[string name] => new(name, name);
        public LocalizedString this[string name, params object[] arguments] => new(name, name);
        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }
}
