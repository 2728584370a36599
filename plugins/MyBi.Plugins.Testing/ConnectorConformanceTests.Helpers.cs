using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;
using Xunit;

namespace MyBi.Plugins.Testing;

/// <summary>A config that passes the schema but cannot work, with what is wrong in it for failure messages.</summary>
/// <param name="Description">What is wrong, e.g. "wrong password".</param>
/// <param name="Config">The config.</param>
public sealed record InvalidConfig(string Description, JsonObject Config);

public abstract partial class ConnectorConformanceTests
{
    /// <summary>
    /// The context the suite opens sessions with: the config as the host passes it (parsed from JSON text, so its
    /// numbers are JSON numbers, not CLR values), <see cref="TimeProvider"/>, no observer.
    /// </summary>
    protected virtual SourceContext Context(JsonObject config) =>
        new() { Config = JsonNode.Parse(config.ToJsonString())!.AsObject(), TimeProvider = TimeProvider };

    /// <summary>Connects and reads <paramref name="streams"/> to the end through a fresh connector and session.</summary>
    protected async Task<ConnectorRead> ReadAsync(IReadOnlyList<string> streams, JsonObject? state)
    {
        var read = new ConnectorRead();
        await using var session = await CreateConnector().ConnectAsync(Context(CreateConfig())).ConfigureAwait(false);
        await foreach (var message in session.ReadAsync(CreateReadRequest(streams, state)).ConfigureAwait(false))
        {
            read.Add(message);
        }

        return read;
    }

    /// <summary>Connects with <paramref name="config"/> and reads until the first message; returns what was thrown.</summary>
    private async Task<Exception?> FailureOfAsync(JsonObject config) =>
        await Record.ExceptionAsync(async () =>
        {
            await using var session = await CreateConnector().ConnectAsync(Context(config)).ConfigureAwait(false);
            await using var messages = session.ReadAsync(CreateReadRequest(StreamsToRead, null)).GetAsyncEnumerator();
            await messages.MoveNextAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);

    private List<string> Secrets(JsonObject config)
    {
        var secrets = new List<string>(SecretValues);
        var schema = ConformanceSchema.ParseObject(CreateConnector().ConfigSchema, "the config schema");
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                if (property?["x-secret"]?.GetValueKind() == System.Text.Json.JsonValueKind.True
                    && config[name] is JsonValue value && value.ToString() is { Length: > 0 } text)
                {
                    secrets.Add(text);
                }
            }
        }

        return secrets;
    }

    private static void AssertUserLine(string message, string what, IEnumerable<string> secrets)
    {
        Assert.False(string.IsNullOrWhiteSpace(message), $"{what} has no message.");
        Assert.False(message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal), $"{what} is not one line: {message}");
        AssertNoSecret(message, what, secrets);
    }

    private static void AssertNoSecret(string text, string what, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            // The secret itself is never printed, only that one leaked.
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} contains a secret value of the config.");
        }
    }

    private Dictionary<string, JsonNode> HighWaterMarks(IEnumerable<SourceRecord> records, IReadOnlyDictionary<string, StreamDescriptor> streams)
    {
        var marks = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var stream = streams[record.Stream];
            if (stream.CursorField is not { } cursor || ConformanceSchema.Find(record.Data, cursor) is not { } value)
            {
                continue;
            }

            var key = PartitionKey(stream, record.Data);
            if (!marks.TryGetValue(key, out var mark) || ConformanceSchema.CompareCursors(value, mark) > 0)
            {
                marks[key] = value.DeepClone();
            }
        }

        return marks;
    }

    private string PartitionKey(StreamDescriptor stream, JsonObject row) =>
        string.Join('\u001f', CursorPartition(stream).Select(c => ConformanceSchema.Find(row, c)?.ToJsonString() ?? "null").Prepend(stream.Name));

    private static string Describe(Exception? error) => error is null ? "a normal end" : $"{error.GetType().Name}: {error.Message}";
}

/// <summary>Everything one read yielded, in order and by kind.</summary>
public sealed class ConnectorRead
{
    /// <summary>Every message in the order yielded.</summary>
    public List<SourceMessage> Messages { get; } = [];

    /// <summary>The rows.</summary>
    public List<SourceRecord> Records { get; } = [];

    /// <summary>The checkpoints' states.</summary>
    public List<JsonObject> Checkpoints { get; } = [];

    /// <summary>The warnings.</summary>
    public List<SourceWarning> Warnings { get; } = [];

    internal void Add(SourceMessage message)
    {
        Messages.Add(message);
        switch (message)
        {
            case SourceRecord record:
                Records.Add(record);
                break;
            case SourceCheckpoint checkpoint:
                Checkpoints.Add(checkpoint.State);
                break;
            case SourceWarning warning:
                Warnings.Add(warning);
                break;
        }
    }
}
