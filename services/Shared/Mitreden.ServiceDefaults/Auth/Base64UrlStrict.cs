using System.Buffers.Text;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>
/// Strict base64url (RFC 4648 §5, no padding) helpers: only the URL-safe alphabet, no whitespace, no padding,
/// canonical trailing bits. Never throws.
/// </summary>
internal static class Base64UrlStrict
{
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        int remainder = text.Length % 4;
        if (remainder == 1)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (ValueOf(c) < 0)
            {
                return false;
            }
        }

        // Non-canonical encodings (unused trailing bits set) would let two strings decode to the same bytes.
        if (remainder != 0)
        {
            int last = ValueOf(text[^1]);
            if (remainder == 2 && (last & 0x0F) != 0)
            {
                return false;
            }

            if (remainder == 3 && (last & 0x03) != 0)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (!IsValid(text))
        {
            return false;
        }

        if (text.IsEmpty)
        {
            return true;
        }

        try
        {
            var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
            if (!Base64Url.TryDecodeFromChars(text, buffer, out int written))
            {
                return false;
            }

            bytes = written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
    }

    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    private static int ValueOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };
}
