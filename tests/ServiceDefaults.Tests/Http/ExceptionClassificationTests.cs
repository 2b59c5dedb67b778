using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mitreden.ServiceDefaults.Http;
using Npgsql;

namespace Mitreden.ServiceDefaults.Tests.Http;

public sealed class ExceptionClassificationTests
{
    public static TheoryData<Exception, int> Cases => new()
    {
        { new BadHttpRequestException("too big", StatusCodes.Status413PayloadTooLarge), 413 },
        { new BadHttpRequestException("bad", new JsonException("broken")), 400 },
        { new BadHttpRequestException("wrong type", StatusCodes.Status415UnsupportedMediaType), 415 },
        { new JsonException("broken"), 400 },
        { new PostgresException("too many clients already", "FATAL", "FATAL", "53300"), 503 },
        { new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), 503 },
        { new NpgsqlException("pool exhausted", new TimeoutException()), 503 },
        { new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused)), 503 },
        { new Microsoft.EntityFrameworkCore.DbUpdateException("dup", new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)), 409 },
        { new InvalidOperationException("a bug"), 500 },
        { new NullReferenceException(), 500 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Exception_GivesStatus(Exception exception, int expected) =>
        ProblemDetailsExceptionHandler.Classify(exception).Status.Should().Be(expected);

    [Fact]
    public void Classify_Fault_NeverEchoesTheExceptionMessage() =>
        ProblemDetailsExceptionHandler.Classify(new InvalidOperationException("connection string Password=geheim"))
            .Detail.Should().NotContain("geheim");
}
