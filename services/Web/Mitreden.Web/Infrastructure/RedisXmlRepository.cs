using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Mitreden.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Mitreden.Web.Infrastructure;

/// <summary>
/// Keeps the Data Protection key ring (antiforgery tokens, the language cookie is plain) in Redis, so every web
/// replica accepts the forms another one rendered and a restart does not invalidate open forms.
/// </summary>
public sealed class RedisXmlRepository(RedisStore redis, string key = "web:dataprotection:keys") : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var result = redis.EvaluateAsync("return redis.call('LRANGE', KEYS[1], 0, -1)", [key], []).GetAwaiter().GetResult();
        if (result.IsNull)
        {
            return [];
        }
        return ((RedisResult[])result!).Select(r => XElement.Parse((string)r!)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName) =>
        redis.EvaluateAsync("return redis.call('RPUSH', KEYS[1], ARGV[1])", [key], [element.ToString(SaveOptions.DisableFormatting)])
            .GetAwaiter().GetResult();
}
