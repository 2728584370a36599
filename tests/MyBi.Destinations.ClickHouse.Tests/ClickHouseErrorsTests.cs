using System.Net.Http;
using System.Net.Sockets;
using ClickHouse.Driver;
using MyBi.Abstractions.Errors;
using MyBi.Destinations.ClickHouse.Internal;

namespace MyBi.Destinations.ClickHouse.Tests;

public sealed class ClickHouseErrorsTests
{
    private static readonly ClickHouseEndpoint s_endpoint = new("http", "ch.local", 8123, "loader");

    [Fact]
    public void Map_AuthenticationFailed_ConfigNamingUserNotPassword()
    {
        var server = new ClickHouseServerException("Code: 516. DB::Exception: loader: Authentication failed: password is incorrect. (AUTHENTICATION_FAILED)", "SELECT 1", 516);

        var error = ClickHouseErrors.Map(server, s_endpoint, "checking the connection", CancellationToken.None)!;

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("ch.local:8123", error.Message, StringComparison.Ordinal);
        Assert.Contains("'loader'", error.Message, StringComparison.Ordinal);
        Assert.Contains("code 516", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_OtherServerError_SystemWithItsCode()
    {
        var server = new ClickHouseServerException("Code: 60. DB::Exception: Table db.x does not exist. (UNKNOWN_TABLE)\nmore", "SELECT 1", 60);

        var error = ClickHouseErrors.Map(server, s_endpoint, "reading table 'x'", CancellationToken.None)!;

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("code 60", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_ServerErrorOfUserQuery_Config()
    {
        var server = new ClickHouseServerException("Code: 164. DB::Exception: Cannot execute query in readonly mode. (READONLY)", "DROP TABLE t", 164);

        var error = ClickHouseErrors.Map(server, s_endpoint, "running a query", CancellationToken.None, userSql: true)!;

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("code 164", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_TooManyParts_Transient()
    {
        var server = new ClickHouseServerException("Code: 252. DB::Exception: Too many parts. (TOO_MANY_PARTS)", "INSERT", 252);

        Assert.Equal(FailureKind.Transient, ClickHouseErrors.Map(server, s_endpoint, "writing table 't'", CancellationToken.None)!.Kind);
    }

    [Fact]
    public void Map_ConnectionRefused_TransientNamingHostAndPort()
    {
        var refused = new HttpRequestException("Connection refused (ch.local:8123)", new SocketException((int)SocketError.ConnectionRefused));

        var error = ClickHouseErrors.Map(refused, s_endpoint, "checking the connection", CancellationToken.None)!;

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("ch.local:8123", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_CancelledByCaller_PassesThrough()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Null(ClickHouseErrors.Map(new OperationCanceledException(cancelled.Token), s_endpoint, "writing", cancelled.Token));
    }

    [Fact]
    public void Map_TimeoutNotRequestedByCaller_Transient()
    {
        var error = ClickHouseErrors.Map(new TaskCanceledException("timeout"), s_endpoint, "writing table 't'", CancellationToken.None)!;

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("did not answer in time", error.Message, StringComparison.Ordinal);
    }
}
