using System.Reflection;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;

namespace Example.Connector;

/// <summary>
/// The plugin's entry type (named in plugin.json). It describes the connector from its schema files and opens a
/// session once the API has accepted the key.
/// </summary>
public sealed class ExampleConnector : SourceConnector
{
    /// <summary>The stream of items.</summary>
    public const string ItemsStream = "items";

    private static readonly Lazy<IReadOnlyList<StreamDescriptor>> s_streams = new(() => [Describe(ItemsStream)]);

    /// <inheritdoc />
    public override string Name => "example-api";

    /// <inheritdoc />
    public override string ConfigSchema => Resource("config.schema.json");

    /// <inheritdoc />
    public override IReadOnlyList<StreamDescriptor> Streams => s_streams.Value;

    /// <summary>How long to wait before retrying a throttled or failed request (tests shorten it).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override async ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = ExampleOptions.Bind(context.Config);
        var client = new ExampleApiClient(options, context.TimeProvider, RetryDelay);
        try
        {
            // One small request proves the address and the key before the engine plans a run.
            await client.GetPageAsync(ItemsStream, updatedSince: null, page: 1, pageSize: 1, cancellationToken).ConfigureAwait(false);
            return new ExampleSession(client, options, context.Observer);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static StreamDescriptor Describe(string name)
    {
        var schema = Resource($"streams/{name}.schema.json");
        var root = JsonNode.Parse(schema)!.AsObject();
        return new StreamDescriptor
        {
            Name = name,
            JsonSchema = schema,
            PrimaryKey = root["x-primary-key"]!.AsArray().Select(k => k!.GetValue<string>()).ToList(),
            CursorField = root["x-cursor-field"]?.GetValue<string>(),
            Description = root["description"]?.GetValue<string>(),
        };
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource '{name}' is missing from the plugin assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
