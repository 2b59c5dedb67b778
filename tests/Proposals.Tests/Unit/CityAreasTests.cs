using Microsoft.Extensions.Options;
using Mitreden.Proposals.Api.Features.Locations;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Tests.Unit;

public sealed class CityAreasTests
{
    [Theory]
    [InlineData("Leverkusen", 51.0317, 6.9866, true)]   // Rathausgalerie, Wiesdorf
    [InlineData("Leverkusen", 50.9375, 6.9603, false)]  // Kölner Dom
    [InlineData("Lünen", 51.6146, 7.5283, true)]        // Rathaus Lünen
    [InlineData("Bergkamen", 51.6167, 7.6353, true)]    // Rathaus Bergkamen
    [InlineData("Kaiserslautern", 49.4447, 7.7690, true)]
    [InlineData("Delmenhorst", 53.0508, 8.6316, true)]
    [InlineData("Delmenhorst", 53.0793, 8.8017, false)] // Bremen
    public void DemoCities_HaveTheirRealArea(string city, double latitude, double longitude, bool inside)
    {
        var areas = new CityAreas(Options.Create(new LocationOptions()));
        CityAreas.Contains(areas.For(city), new GeoPoint(latitude, longitude)).Should().Be(inside);
    }

    [Fact]
    public void Configuration_AddsCities_AndAnUnknownCityIsGermany()
    {
        var options = new LocationOptions();
        options.Cities["Musterstadt"] = new CityAreaOptions { South = 50, West = 8, North = 50.1, East = 8.2 };
        var areas = new CityAreas(Options.Create(options));
        areas.For("Musterstadt").Should().Be(new GeoArea(50, 8, 50.1, 8.2));
        areas.For("Irgendwo").Should().Be(CityAreas.Germany);
        LocationOptions.Valid(options).Should().BeTrue();
        options.Cities["Kaputt"] = new CityAreaOptions { South = 51, West = 8, North = 50, East = 9 };
        LocationOptions.Valid(options).Should().BeFalse();
    }
}
