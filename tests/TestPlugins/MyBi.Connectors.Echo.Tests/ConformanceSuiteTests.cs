using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Plugins.Testing;
using Xunit.Sdk;

namespace MyBi.Connectors.Echo.Tests;

/// <summary>
/// The connector conformance suite refuses connectors that break its rules: each fault below makes exactly the named
/// test of the suite fail with an assertion, while the same connector without the fault passes it.
/// </summary>
public sealed class ConformanceSuiteTests
{
    public enum Fault
    {
        None,
        KeyNotAColumn,
        SecretInError,
        TransientForBadConfig,
        RowAgainstSchema,
        NoFinalCheckpoint,
        SecretInCheckpoint,
        IgnoresState,
        ReadsUnrequestedStream,
        IgnoresCancellation,
    }

    [Theory]
    [InlineData(Fault.KeyNotAColumn, nameof(ConnectorConformanceTests.Discover_Streams_HaveUniqueNamesParsableSchemasAndDeclaredKeys))]
    [InlineData(Fault.SecretInError, nameof(ConnectorConformanceTests.Connect_WithInvalidConfig_FailsAsConfigErrorOnOneLineWithoutSecrets))]
    [InlineData(Fault.TransientForBadConfig, nameof(ConnectorConformanceTests.Connect_WithInvalidConfig_FailsAsConfigErrorOnOneLineWithoutSecrets))]
    [InlineData(Fault.RowAgainstSchema, nameof(ConnectorConformanceTests.Read_Records_MatchTheirStreamSchemasAndKeys))]
    [InlineData(Fault.NoFinalCheckpoint, nameof(ConnectorConformanceTests.Read_Checkpoints_AreSerializableObjectsWithoutSecretsAndTheLastFollowsTheLastRow))]
    [InlineData(Fault.SecretInCheckpoint, nameof(ConnectorConformanceTests.Read_Checkpoints_AreSerializableObjectsWithoutSecretsAndTheLastFollowsTheLastRow))]
    [InlineData(Fault.IgnoresState, nameof(ConnectorConformanceTests.Read_ResumedFromTheLastCheckpoint_YieldsNoRowBeforeTheCursorsItCovered))]
    [InlineData(Fault.ReadsUnrequestedStream, nameof(ConnectorConformanceTests.Read_OneStream_YieldsNoRowOfAnyOtherStream))]
    [InlineData(Fault.IgnoresCancellation, nameof(ConnectorConformanceTests.Read_WithACancelledToken_ThrowsOperationCanceledBeforeAnyRow))]
    [InlineData(Fault.IgnoresCancellation, nameof(ConnectorConformanceTests.Read_CancelledAfterTheFirstRow_StopsWithOperationCanceled))]
    public async Task SuiteTest_FailsForTheFault_AndPassesWithoutIt(Fault fault, string test)
    {
        Assert.Null(await RunAsync(Fault.None, test));

        var failure = await RunAsync(fault, test);

        Assert.True(failure is XunitException, $"{test} did not refuse {fault}: {failure?.GetType().Name ?? "it passed"} {failure?.Message}");
    }

    private static async Task<Exception?> RunAsync(Fault fault, string test)
    {
        var suite = new Suite(fault);
        await suite.InitializeAsync();
        var method = typeof(ConnectorConformanceTests).GetMethod(test) ?? throw new InvalidOperationException($"no test {test}");
        return await Record.ExceptionAsync(async () =>
        {
            try
            {
                if (method.Invoke(suite, null) is Task task)
                {
                    await task;
                }
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        });
    }

    // Not public: xunit runs this suite only through the theory above.
    private sealed class Suite(Fault fault) : ConnectorConformanceTests
    {
        protected override SourceConnector CreateConnector() => new FaultyConnector(fault);

        protected override JsonObject CreateConfig() => new() { ["token"] = FaultyConnector.Token };

        protected override IEnumerable<InvalidConfig> InvalidConfigs() => [new("wrong token", new JsonObject { ["token"] = "wrong-token-value" })];
    }

    private sealed class FaultyConnector(Fault fault) : SourceConnector
    {
        public const string Token = "right-token-value";

        private const string RowsSchema = """
            {"type": "object", "properties": {"id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}}}
            """;

        public override string Name => "faulty";

        public override string ConfigSchema => """{"type": "object", "properties": {"token": {"type": "string", "x-secret": true}}}""";

        public override IReadOnlyList<StreamDescriptor> Streams =>
        [
            new StreamDescriptor { Name = "rows", JsonSchema = RowsSchema, PrimaryKey = [fault == Fault.KeyNotAColumn ? "key" : "id"], CursorField = "at" },
            new StreamDescriptor { Name = "other", JsonSchema = RowsSchema, PrimaryKey = ["id"] },
        ];

        public override ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default)
        {
            var token = context.Config["token"]?.GetValue<string>();
            if (token != Token)
            {
                throw fault switch
                {
                    Fault.SecretInError => MyBiException.Config($"the token {token} was refused"),
                    Fault.TransientForBadConfig => MyBiException.Transient("the token was refused"),
                    _ => MyBiException.Config("the token was refused"),
                };
            }

            return ValueTask.FromResult<SourceSession>(new Session(fault));
        }
    }

    private sealed class Session(Fault fault) : SourceSession
    {
        private static readonly DateTimeOffset s_first = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

        public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var since = fault == Fault.IgnoresState ? 0 : request.State?["since"]?.GetValue<int>() ?? 0;
            foreach (var stream in request.Streams.Concat(fault == Fault.ReadsUnrequestedStream ? ["other"] : []).Distinct())
            {
                for (var id = since; id < 10; id++)
                {
                    if (fault != Fault.IgnoresCancellation)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    await Task.Yield();
                    yield return new SourceRecord(stream, new JsonObject
                    {
                        ["id"] = fault == Fault.RowAgainstSchema && id == 3 ? "three" : id,
                        ["at"] = s_first.AddHours(id).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    });
                }
            }

            if (fault != Fault.NoFinalCheckpoint)
            {
                var state = new JsonObject { ["since"] = 9 };
                if (fault == Fault.SecretInCheckpoint)
                {
                    state["token"] = FaultyConnector.Token;
                }

                yield return new SourceCheckpoint(state);
            }
        }
    }
}
