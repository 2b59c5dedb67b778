using System.Text;
using System.Text.Json;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>
/// A parsed JWKS document (RFC 7517). Keys that are unusable for us (other key types or algorithms, encryption keys,
/// RSA below 2048 bits, invalid EC points, missing kid) are skipped, not fatal; the first key wins on a duplicate kid.
/// </summary>
public sealed class JsonWebKeySet
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 32,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private readonly Dictionary<string, JsonWebKey> _byKeyId;

    public JsonWebKeySet(IEnumerable<JsonWebKey> keys)
        : this(keys, [])
    {
    }

    private JsonWebKeySet(IEnumerable<JsonWebKey> keys, IReadOnlyList<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = new List<JsonWebKey>();
        _byKeyId = new Dictionary<string, JsonWebKey>(StringComparer.Ordinal);
        var skippedKeys = new List<string>(skipped);
        foreach (var key in keys)
        {
            if (_byKeyId.TryAdd(key.KeyId, key))
            {
                list.Add(key);
            }
            else
            {
                skippedKeys.Add($"duplicate kid '{key.KeyId}'");
            }
        }

        Keys = list;
        SkippedKeys = skippedKeys;
    }

    public static JsonWebKeySet Empty { get; } = new([]);

    public IReadOnlyList<JsonWebKey> Keys { get; }

    /// <summary>Why keys of the document were ignored (for logging).</summary>
    public IReadOnlyList<string> SkippedKeys { get; }

    public JsonWebKey? Find(string keyId) => keyId is not null && _byKeyId.TryGetValue(keyId, out var key) ? key : null;

    /// <summary>Parses a JWKS document. Throws <see cref="FormatException"/> if it is not a JSON object with a "keys" array.</summary>
    public static JsonWebKeySet Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses a UTF-8 JWKS document. Throws <see cref="FormatException"/> if it is not a JSON object with a "keys" array.</summary>
    public static JsonWebKeySet Parse(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The JWKS document is not valid JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("keys", out var keysElement)
                || keysElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The JWKS document must be a JSON object with a \"keys\" array.");
            }

            var keys = new List<JsonWebKey>();
            var skipped = new List<string>();
            foreach (var element in keysElement.EnumerateArray())
            {
                if (JsonWebKey.TryRead(element, out var key, out var error))
                {
                    keys.Add(key);
                }
                else
                {
                    skipped.Add(error);
                }
            }

            return new JsonWebKeySet(keys, skipped);
        }
    }

    public static bool TryParse(string? json, out JsonWebKeySet keySet)
    {
        keySet = Empty;
        if (json is null)
        {
            return false;
        }

        try
        {
            keySet = Parse(json);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Serializes the public keys as a JWKS document (what /.well-known/jwks.json serves).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in Keys)
            {
                key.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
