using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Tests;

public class LoopbackGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://127.4.5.6/")]
    [InlineData("https://localhost:5001/api")]
    [InlineData("http://LOCALHOST")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/")]
    public void Require_LoopbackHost_Accepted(string url) =>
        LoopbackGuard.Require(url).Should().NotBeNull();

    [Theory]
    [InlineData("http://10.0.0.1:8080")]
    [InlineData("http://192.168.1.20/")]
    [InlineData("http://128.0.0.1/")]
    [InlineData("http://0.0.0.0:8080/")]
    [InlineData("http://[::2]/")]
    [InlineData("http://example.org/")]
    [InlineData("http://localhost.example.org/")]
    [InlineData("http://127.0.0.1.nip.io/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("not a url")]
    public void Require_OtherHost_Refused(string url) =>
        FluentActions.Invoking(() => LoopbackGuard.Require(url)).Should().Throw<ArgumentException>();

    [Fact]
    public void Parse_NonLoopbackBaseUrl_Refused() =>
        FluentActions.Invoking(() => LoadOptions.Parse(["--base-url", "http://203.0.113.7:8080"]))
            .Should().Throw<ArgumentException>().WithMessage("*loopback*");

    [Fact]
    public void Create_NonLoopbackClient_Refused() =>
        FluentActions.Invoking(() => LoadHttp.Create(new Uri("http://203.0.113.7/"), TimeSpan.FromSeconds(1)))
            .Should().Throw<ArgumentException>();
}
