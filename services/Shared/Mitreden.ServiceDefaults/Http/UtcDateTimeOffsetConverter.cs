using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>
/// Times in requests may carry any offset ("2026-11-21T18:00:00+01:00"); they are stored as UTC, which is all
/// PostgreSQL's timestamptz accepts through Npgsql. Converting on the way in keeps that a non-issue for endpoints.
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
