namespace Mitreden.TestKit;

/// <summary>The throwaway servers that <c>./mitreden test</c> starts; tests never start their own.</summary>
public static class TestEnvironment
{
    public static string PostgresAdmin => Required("MITREDEN_TEST_POSTGRES");
    public static string Redis => Required("MITREDEN_TEST_REDIS");
    public static string RabbitMq => Required("MITREDEN_TEST_RABBITMQ");
    public static Uri RabbitMqManagement => new(Required("MITREDEN_TEST_RABBITMQ_MGMT"));
    /// <summary>The virtual host of the services' exchanges and queues on that broker.</summary>
    public static string StackVirtualHost => Required("MITREDEN_TEST_STACK_VHOST");
    public static Uri Gateway => new(Required("MITREDEN_GATEWAY_URL"));
    public static string? StackLogs => Environment.GetEnvironmentVariable("MITREDEN_STACK_LOGS");
    public static string? State => Environment.GetEnvironmentVariable("MITREDEN_STATE");

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests through './mitreden test', which starts PostgreSQL, Redis and RabbitMQ.");
}
