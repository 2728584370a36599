using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using Xunit;

namespace MyBi.Plugins.Testing;

/// <summary>
/// The behaviour every <see cref="SourceConnector"/> must show, run against a real source (a test server over real
/// HTTP, a sandbox, a file). A connector's test project derives one class from this, supplies the connector, a
/// working config and some broken ones; xunit creates one instance per test, so <see cref="InitializeAsync"/> may
/// start a server of its own for each test.
/// </summary>
public abstract partial class ConnectorConformanceTests : IAsyncLifetime
{
    /// <summary>Creates the connector under test (a fresh instance for every use, as the host does).</summary>
    protected abstract SourceConnector CreateConnector();

    /// <summary>A config that connects and reads rows of every stream in <see cref="StreamsToRead"/>.</summary>
    protected abstract JsonObject CreateConfig();

    /// <summary>
    /// Configs that pass the config schema but cannot work (a wrong password, an unknown account, a missing value):
    /// each must fail with a <see cref="FailureKind.Config"/> error, on connect or at the latest on the first read.
    /// </summary>
    protected abstract IEnumerable<InvalidConfig> InvalidConfigs();

    /// <summary>
    /// Values that must never appear in an error, a warning or a checkpoint. The values of properties marked
    /// <c>"x-secret": true</c> in the config schema are added to these automatically.
    /// </summary>
    protected virtual IReadOnlyCollection<string> SecretValues => [];

    /// <summary>The clock handed to the connector; pin it when the source's data depends on the date.</summary>
    protected virtual TimeProvider TimeProvider => TimeProvider.System;

    /// <summary>The streams the read tests request; all of them by default.</summary>
    protected virtual IReadOnlyList<string> StreamsToRead => CreateConnector().Streams.Select(s => s.Name).ToList();

    /// <summary>The read request for <paramref name="streams"/>, resuming from <paramref name="state"/> when given.</summary>
    protected virtual ReadRequest CreateReadRequest(IReadOnlyList<string> streams, JsonObject? state) =>
        new() { Streams = streams, State = state };

    /// <summary>
    /// The columns a stream's cursor is kept per (e.g. an account id when each account has a cursor of its own);
    /// the resume test compares cursors within each such partition. None by default: one cursor per stream.
    /// </summary>
    protected virtual IReadOnlyList<string> CursorPartition(StreamDescriptor stream) => [];

    /// <summary>
    /// How many messages a read may still yield after its token is cancelled (rows of a page already fetched).
    /// The read must then end with <see cref="OperationCanceledException"/>.
    /// </summary>
    protected virtual int MaxMessagesAfterCancellation => 10_000;

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Discover_ConfigSchema_IsAJsonSchemaOfAnObject()
    {
        var schema = ConformanceSchema.ParseObject(CreateConnector().ConfigSchema, "the config schema");

        Assert.True(
            schema["type"]?.ToString() == "object" || schema["properties"] is JsonObject,
            "The config schema must describe an object ('type': 'object' or 'properties').");
    }

    [Fact]
    public void Discover_Streams_HaveUniqueNamesParsableSchemasAndDeclaredKeys()
    {
        var connector = CreateConnector();
        Assert.NotEmpty(connector.Streams);
        Assert.False(string.IsNullOrWhiteSpace(connector.Name), "The connector needs a name.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stream in connector.Streams)
        {
            Assert.False(string.IsNullOrWhiteSpace(stream.Name), "Every stream needs a name.");
            Assert.True(names.Add(stream.Name), $"The stream name '{stream.Name}' is used twice.");
            var columns = ConformanceSchema.Compile(stream);
            Assert.NotEmpty(columns);
            Assert.NotEmpty(stream.PrimaryKey);
            foreach (var key in stream.PrimaryKey)
            {
                Assert.True(columns.ContainsKey(key), $"Stream '{stream.Name}': primary key '{key}' is not a column of its schema.");
            }

            if (stream.CursorField is { } cursor)
            {
                Assert.True(columns.ContainsKey(cursor), $"Stream '{stream.Name}': cursor '{cursor}' is not a column of its schema.");
            }
        }

        foreach (var stream in connector.Streams.Where(s => s.Parent is not null))
        {
            Assert.True(names.Contains(stream.Parent!), $"Stream '{stream.Name}': parent '{stream.Parent}' is not a stream of the connector.");
        }
    }

    [Fact]
    public async Task Connect_WithInvalidConfig_FailsAsConfigErrorOnOneLineWithoutSecrets()
    {
        var invalid = InvalidConfigs().ToList();
        Assert.NotEmpty(invalid);
        foreach (var (description, config) in invalid)
        {
            var error = await FailureOfAsync(config);
            Assert.True(error is not null, $"Invalid config ({description}): connecting and reading succeeded.");
            var failure = Assert.IsType<MyBiException>(error, exactMatch: false);
            Assert.True(failure.Kind == FailureKind.Config, $"Invalid config ({description}): the error is {failure.Kind}, not Config: {failure.Message}");
            AssertUserLine(failure.Message, $"the error for an invalid config ({description})", Secrets(config));
            if (failure.Detail is { } detail)
            {
                AssertNoSecret(detail, $"the error detail for an invalid config ({description})", Secrets(config));
            }
        }
    }

    [Fact]
    public async Task Read_Records_MatchTheirStreamSchemasAndKeys()
    {
        var streams = StreamsToRead;
        var read = await ReadAsync(streams, state: null);

        Assert.True(read.Records.Count > 0, "The read yielded no rows; the config must lead to rows of the streams read.");
        var descriptors = CreateConnector().Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var compiled = new Dictionary<string, IReadOnlyDictionary<string, ConformanceSchema.Column>>(StringComparer.Ordinal);
        foreach (var record in read.Records)
        {
            Assert.True(streams.Contains(record.Stream), $"A row of stream '{record.Stream}' was yielded, which the read did not request.");
            if (!compiled.TryGetValue(record.Stream, out var columns))
            {
                columns = ConformanceSchema.Compile(descriptors[record.Stream]);
                compiled[record.Stream] = columns;
            }

            ConformanceSchema.AssertMatches(descriptors[record.Stream], columns, record.Data);
        }

        foreach (var warning in read.Warnings)
        {
            AssertUserLine(warning.Message, "a warning", Secrets(CreateConfig()));
        }
    }

    [Fact]
    public async Task Read_Checkpoints_AreSerializableObjectsWithoutSecretsAndTheLastFollowsTheLastRow()
    {
        var read = await ReadAsync(StreamsToRead, state: null);

        Assert.True(read.Checkpoints.Count > 0, "A complete read must yield a checkpoint, or the next run starts over.");
        var lastCheckpoint = read.Messages.FindLastIndex(m => m is SourceCheckpoint);
        var lastRecord = read.Messages.FindLastIndex(m => m is SourceRecord);
        Assert.True(lastCheckpoint > lastRecord, "Rows follow the last checkpoint: a complete read must end with a checkpoint covering every row.");
        foreach (var state in read.Checkpoints)
        {
            var text = state.ToJsonString();
            var parsed = JsonNode.Parse(text);
            Assert.True(parsed is JsonObject, "A checkpoint must round-trip as a JSON object.");
            Assert.True(JsonNode.DeepEquals(state, parsed), "A checkpoint changed when written and read back as JSON.");
            AssertNoSecret(text, "a checkpoint", Secrets(CreateConfig()));
        }
    }

    [Fact]
    public async Task Read_ResumedFromTheLastCheckpoint_YieldsNoRowBeforeTheCursorsItCovered()
    {
        var streams = StreamsToRead;
        var first = await ReadAsync(streams, state: null);
        Assert.True(first.Checkpoints.Count > 0, "The read yielded no checkpoint to resume from.");

        var resumed = await ReadAsync(streams, first.Checkpoints[^1]);

        var descriptors = CreateConnector().Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var covered = HighWaterMarks(first.Records, descriptors);
        foreach (var record in resumed.Records)
        {
            Assert.True(streams.Contains(record.Stream), $"A row of stream '{record.Stream}' was yielded, which the read did not request.");
            var stream = descriptors[record.Stream];
            if (stream.CursorField is not { } cursor
                || !covered.TryGetValue(PartitionKey(stream, record.Data), out var mark)
                || ConformanceSchema.Find(record.Data, cursor) is not { } value)
            {
                continue;
            }

            Assert.True(
                ConformanceSchema.CompareCursors(value, mark) >= 0,
                $"Stream '{stream.Name}': the resumed read yielded a row with {cursor} = {value.ToJsonString()}, before {mark.ToJsonString()} that the checkpoint already covered.");
        }
    }

    [Fact]
    public async Task Read_OneStream_YieldsNoRowOfAnyOtherStream()
    {
        var streams = CreateConnector().Streams;
        var one = streams.FirstOrDefault(s => s.Parent is null && StreamsToRead.Contains(s.Name)) ?? streams[0];

        var read = await ReadAsync([one.Name], state: null);

        var others = read.Records.Select(r => r.Stream).Where(s => s != one.Name).Distinct().ToList();
        Assert.True(others.Count == 0, $"Reading only '{one.Name}' yielded rows of {string.Join(", ", others)}.");
    }

    [Fact]
    public async Task Read_WithACancelledToken_ThrowsOperationCanceledBeforeAnyRow()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await using var session = await CreateConnector().ConnectAsync(Context(CreateConfig()));
        var rows = 0;

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var message in session.ReadAsync(CreateReadRequest(StreamsToRead, null), cancellation.Token))
            {
                rows += message is SourceRecord ? 1 : 0;
            }
        });

        Assert.True(error is OperationCanceledException, $"A read with a cancelled token must throw OperationCanceledException, not {Describe(error)}.");
        Assert.Equal(0, rows);
    }

    [Fact]
    public async Task Read_CancelledAfterTheFirstRow_StopsWithOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await using var session = await CreateConnector().ConnectAsync(Context(CreateConfig()));
        var afterCancel = -1;

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var message in session.ReadAsync(CreateReadRequest(StreamsToRead, null), cancellation.Token))
            {
                if (afterCancel >= 0 && ++afterCancel > MaxMessagesAfterCancellation)
                {
                    return;
                }

                if (afterCancel < 0 && message is SourceRecord)
                {
                    await cancellation.CancelAsync();
                    afterCancel = 0;
                }
            }
        });

        Assert.True(afterCancel >= 0, "The read yielded no row to cancel after.");
        Assert.True(
            error is OperationCanceledException,
            afterCancel > MaxMessagesAfterCancellation
                ? $"The read went on for more than {MaxMessagesAfterCancellation} messages after its token was cancelled."
                : $"A cancelled read must end with OperationCanceledException, not {Describe(error)}.");
    }
}
