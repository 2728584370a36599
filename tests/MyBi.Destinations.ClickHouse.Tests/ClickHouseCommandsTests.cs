using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using MyBi.Abstractions.Errors;
using MyBi.Destinations.ClickHouse.Internal;

namespace MyBi.Destinations.ClickHouse.Tests;

/// <summary>
/// The error funnel every server call goes through: each class of driver, HTTP and socket failure leaves as a
/// <see cref="MyBiException"/> of its kind, naming host and port and never the password. No server is contacted:
/// the calls fail before reaching the client.
/// </summary>
public sealed class ClickHouseCommandsTests : IDisposable
{
    private const string Password = "s3cret-Pa55";

    private readonly ClickHouseCommands _commands;

    public ClickHouseCommandsTests()
    {
        var parsed = new ClickHouseDestinationOptions
        {
            ConnectionString = $"Host=ch.local;Port=8123;Username=loader;Password={Password}",
        }.Parse();
        _commands = new ClickHouseCommands(new ClickHouseClient(new ClickHouseClientSettings(parsed.Client)), parsed.Endpoint);
    }

    public void Dispose() => _commands.Dispose();

    [Theory]
    [InlineData("server-516-authentication", FailureKind.Config, "refused the credentials of user 'loader' (code 516)")]
    [InlineData("server-497-access-denied", FailureKind.Config, "denied user 'loader' the rights needed for writing table 'visits' (code 497)")]
    [InlineData("server-252-too-many-parts", FailureKind.Transient, "passing error (code 252)")]
    [InlineData("server-159-timeout", FailureKind.Transient, "passing error (code 159)")]
    [InlineData("server-60-unknown-table", FailureKind.System, "failed while writing table 'visits' (code 60)")]
    [InlineData("http-401", FailureKind.Config, "refused the request while writing table 'visits' (HTTP 401)")]
    [InlineData("http-403", FailureKind.Config, "(HTTP 403); check the user and password")]
    [InlineData("http-503", FailureKind.Transient, "answered HTTP 503 while writing table 'visits'; retry later")]
    [InlineData("http-429", FailureKind.Transient, "answered HTTP 429")]
    [InlineData("http-404", FailureKind.System, "answered HTTP 404 while writing table 'visits'.")]
    [InlineData("socket-refused", FailureKind.Transient, "Cannot reach ClickHouse at ch.local:8123 while writing table 'visits': connection refused")]
    [InlineData("socket-host-not-found", FailureKind.Transient, "host not found (check Host in 'connection')")]
    [InlineData("socket-reset", FailureKind.Transient, "connection reset")]
    [InlineData("http-no-status", FailureKind.Transient, "The connection to ClickHouse at ch.local:8123 broke while writing table 'visits'")]
    [InlineData("io", FailureKind.Transient, "The connection to ClickHouse at ch.local:8123 broke")]
    [InlineData("bare-socket", FailureKind.Transient, "The connection to ClickHouse at ch.local:8123 broke")]
    [InlineData("timeout", FailureKind.Transient, "did not answer in time while writing table 'visits'")]
    [InlineData("unexpected", FailureKind.System, "Unexpected failure while writing table 'visits' on ClickHouse at ch.local:8123: InvalidOperationException: bad state")]
    public async Task RunAsync_DriverFailure_MapsToItsKindNamingHostPortAndStreamButNotThePassword(string failure, FailureKind kind, string expected)
    {
        var cause = Failure(failure);

        var error = await Assert.ThrowsAsync<MyBiException>(() => _commands.RunAsync<int>(
            (_, _) => throw cause,
            "writing table 'visits'",
            CancellationToken.None,
            stream: "visits"));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("ch.local:8123", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.Equal("visits", error.Stream);
        Assert.Same(cause, error.InnerException);
    }

    [Theory]
    [InlineData(159, "ran longer than the destination's query_timeout")]
    [InlineData(62, "The query failed in ClickHouse at ch.local:8123 (code 62)")]
    public async Task RunAsync_ServerErrorOfUserSql_Config(int code, string expected)
    {
        var cause = new ClickHouseServerException($"Code: {code}. DB::Exception: something. (X)", "SELECT", code);

        var error = await Assert.ThrowsAsync<MyBiException>(() => _commands.RunAsync<int>(
            (_, _) => throw cause,
            "running a query",
            CancellationToken.None,
            userSql: true));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(error.Stream);
    }

    [Fact]
    public async Task RunAsync_CancelledByCaller_OperationCanceledPassesThroughUnchanged()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var cause = new OperationCanceledException(cancelled.Token);

        var error = await Assert.ThrowsAsync<OperationCanceledException>(() => _commands.RunAsync<int>((_, _) => throw cause, "writing table 'visits'", cancelled.Token));

        Assert.Same(cause, error);
    }

    [Fact]
    public async Task RunAsync_AlreadyMapped_PassesThroughUnchanged()
    {
        var cause = MyBiException.Config("Table 'visits' has no primary key.");

        var error = await Assert.ThrowsAsync<MyBiException>(() => _commands.RunAsync<int>((_, _) => throw cause, "writing table 'visits'", CancellationToken.None));

        Assert.Same(cause, error);
    }

    [Fact]
    public async Task RunAsync_FailsAfterAwaiting_MappedAlike()
    {
        var error = await Assert.ThrowsAsync<MyBiException>(() => _commands.RunAsync<int>(
            async (_, ct) =>
            {
                await Task.Yield();
                throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused));
            },
            "checking the connection",
            CancellationToken.None));

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckTimedOut_TransientNamingTheWait()
    {
        var error = ClickHouseErrors.CheckTimedOut(_commands.Endpoint, TimeSpan.FromSeconds(5), new TaskCanceledException());

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("ClickHouse at ch.local:8123 did not answer within 5 s", error.Message, StringComparison.Ordinal);
    }

    private static Exception Failure(string name) => name switch
    {
        "server-516-authentication" => Server(516, $"loader: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)"),
        "server-497-access-denied" => Server(497, "loader: Not enough privileges. To execute this query, it's necessary to have the grant INSERT ON db.visits. (ACCESS_DENIED)"),
        "server-252-too-many-parts" => Server(252, "Too many parts (300). Merges are processing significantly slower than inserts. (TOO_MANY_PARTS)"),
        "server-159-timeout" => Server(159, "Timeout exceeded: elapsed 31 seconds, maximum: 30. (TIMEOUT_EXCEEDED)"),
        "server-60-unknown-table" => Server(60, "Table db.visits does not exist. (UNKNOWN_TABLE)\nStack trace: ..."),
        "http-401" => Http(HttpStatusCode.Unauthorized),
        "http-403" => Http(HttpStatusCode.Forbidden),
        "http-503" => Http(HttpStatusCode.ServiceUnavailable),
        "http-429" => Http(HttpStatusCode.TooManyRequests),
        "http-404" => Http(HttpStatusCode.NotFound),
        "socket-refused" => new HttpRequestException("Connection refused (ch.local:8123)", new SocketException((int)SocketError.ConnectionRefused)),
        "socket-host-not-found" => new HttpRequestException("Name or service not known (ch.local:8123)", new SocketException((int)SocketError.HostNotFound)),
        "socket-reset" => new HttpRequestException("Error while copying content", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))),
        "http-no-status" => new HttpRequestException("An error occurred while sending the request."),
        "io" => new IOException("Unable to read data from the transport connection."),
        "bare-socket" => new SocketException((int)SocketError.ConnectionAborted),
        "timeout" => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."),
        "unexpected" => new InvalidOperationException("bad state\nsecond line"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown failure."),
    };

    private static ClickHouseServerException Server(int code, string text) => new($"Code: {code}. DB::Exception: {text}", "INSERT INTO db.visits", code);

    private static HttpRequestException Http(HttpStatusCode status) => new($"Response status code does not indicate success: {(int)status}.", null, status);
}
