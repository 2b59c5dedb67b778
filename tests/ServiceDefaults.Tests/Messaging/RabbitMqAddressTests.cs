using FluentAssertions;
using Mitreden.ServiceDefaults.Messaging;
using Xunit;

namespace Mitreden.ServiceDefaults.Tests.Messaging;

public sealed class RabbitMqAddressTests
{
    [Fact]
    public void Parse_Uri_ReadsHostPortVhostAndEscapedCredentials()
    {
        var address = RabbitMqAddress.Parse("amqp://mitreden:p%40ss@127.0.0.1:5733/mitreden");

        address.Should().Be(new RabbitMqAddress("127.0.0.1", 5733, "mitreden", "mitreden", "p@ss"));
    }

    [Fact]
    public void ParseNodes_ClusterList_GivesEveryNodeWithDefaultPort()
    {
        RabbitMqAddress.ParseNodes(" 127.0.0.1:5733, 127.0.0.1:5734 ,rabbit-3 ").Should().Equal(
            ("127.0.0.1", 5733), ("127.0.0.1", 5734), ("rabbit-3", 5672));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ParseNodes_Nothing_IsEmpty(string? value)
    {
        RabbitMqAddress.ParseNodes(value).Should().BeEmpty();
    }

    [Theory]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    [InlineData(":5672")]
    [InlineData("host:port")]
    public void ParseNodes_NotHostPort_FailsWithTheSettingName(string value)
    {
        var act = () => RabbitMqAddress.ParseNodes(value);

        act.Should().Throw<InvalidOperationException>().WithMessage("RabbitMq:Nodes*");
    }
}
