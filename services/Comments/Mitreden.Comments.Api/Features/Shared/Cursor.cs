using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mitreden.Comments.Api.Features.Shared;

public enum SortOrder
{
    Newest,
    Oldest,
    Supported,
}

/// <summary>
/// An opaque keyset cursor: the sort it belongs to and the (key, id) of the last row returned. The key is the
/// creation time in Unix microseconds (newest/oldest) or the up-vote count (supported). The next page starts
/// strictly after this pair, so there is no OFFSET and no page is slower than the first.
/// </summary>
public readonly record struct Cursor(SortOrder Sort, long Key, Guid Id)
{
    public static Cursor ForTime(SortOrder sort, DateTimeOffset createdAt, Guid id) =>
        new(sort, (createdAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10, id);

    public DateTimeOffset Time => new(DateTimeOffset.UnixEpoch.UtcTicks + Key * 10, TimeSpan.Zero);

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{(int)Sort}.{Key}.{Id:N}")));

    public static bool TryDecode(string? text, SortOrder expected, out Cursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return false;
        }
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
            if (parts.Length == 3
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sort)
                && sort == (int)expected
                && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
                && key is >= -62_135_596_800_000_000 and <= 253_402_300_799_000_000
                && Guid.TryParseExact(parts[2], "N", out var id))
            {
                cursor = new Cursor(expected, key, id);
                return true;
            }
        }
        catch (FormatException)
        {
        }
        return false;
    }

    public static bool TryParseSort(string? text, out SortOrder sort)
    {
        switch (text)
        {
            case null or "" or "newest":
                sort = SortOrder.Newest;
                return true;
            case "oldest":
                sort = SortOrder.Oldest;
                return true;
            case "supported":
                sort = SortOrder.Supported;
                return true;
            default:
                sort = default;
                return false;
        }
    }
}
