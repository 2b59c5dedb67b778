using Mitreden.Comments.Api.Features.Shared;

namespace Mitreden.Comments.Tests;

public sealed class CursorTests
{
    [Theory]
    [InlineData(SortOrder.Newest)]
    [InlineData(SortOrder.Oldest)]
    public void Encode_TimeCursor_RoundTripsToTheMicrosecond(SortOrder sort)
    {
        var at = new DateTimeOffset(2026, 11, 21, 10, 30, 15, TimeSpan.Zero).AddTicks(1_234_560);
        var id = Guid.NewGuid();

        var text = Cursor.ForTime(sort, at, id).Encode();

        Cursor.TryDecode(text, sort, out var decoded).Should().BeTrue();
        decoded.Time.Should().Be(at);
        decoded.Id.Should().Be(id);
    }

    [Fact]
    public void TryDecode_CursorOfAnotherSort_IsRefused()
    {
        var text = new Cursor(SortOrder.Supported, 12, Guid.NewGuid()).Encode();

        Cursor.TryDecode(text, SortOrder.Supported, out var decoded).Should().BeTrue();
        decoded.Key.Should().Be(12);
        Cursor.TryDecode(text, SortOrder.Newest, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("!!!")]
    [InlineData("MC4xMi5ub3QtYS1ndWlk")] // "0.12.not-a-guid"
    [InlineData("OTk5LjEuMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA")] // unknown sort 999
    public void TryDecode_Garbage_IsRefused(string text) =>
        Cursor.TryDecode(text, SortOrder.Newest, out _).Should().BeFalse();

    [Theory]
    [InlineData(null, SortOrder.Newest)]
    [InlineData("newest", SortOrder.Newest)]
    [InlineData("oldest", SortOrder.Oldest)]
    [InlineData("supported", SortOrder.Supported)]
    public void TryParseSort_KnownValues_Parse(string? text, SortOrder expected)
    {
        Cursor.TryParseSort(text, out var sort).Should().BeTrue();
        sort.Should().Be(expected);
    }

    [Fact]
    public void TryParseSort_UnknownValue_IsRefused() => Cursor.TryParseSort("Newest", out _).Should().BeFalse();
}
