using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Mitreden.Moderation.Api.Features.Queue;

/// <summary>
/// Position in the queue order (open reports desc, queued at asc, arrival asc), opaque to clients.
/// Times are kept in microseconds, the precision PostgreSQL stores.
/// </summary>
public sealed record QueueCursor(int OpenReports, DateTimeOffset QueuedAt, long Seq)
{
    public string Encode()
    {
        var micros = (QueuedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"1.{OpenReports}.{micros}.{Seq}")));
    }

    public static bool TryDecode(string? value, out QueueCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(value) || value.Length > 100 || !Base64Url.IsValid(value))
        {
            return false;
        }
        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value)).Split('.');
        if (parts is not ["1", var open, var micros, var seq]
            || !int.TryParse(open, NumberStyles.None, CultureInfo.InvariantCulture, out var openReports)
            || !long.TryParse(micros, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var us)
            || !long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            || us is < -62_135_596_800_000_000L or > 253_402_300_799_999_999L)
        {
            return false;
        }
        cursor = new QueueCursor(openReports, new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + us * 10, TimeSpan.Zero), s);
        return true;
    }
}
