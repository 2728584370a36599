using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;

namespace MyBi.Connectors.Echo;

/// <summary>A minimal connector: one stream of <c>count</c> numbered rows.</summary>
public sealed class EchoConnector : SourceConnector
{
    private const string NumbersSchema = """
        {
          "type": "object",
          "description": "Numbered rows.",
          "properties": {
            "id": { "type": "integer", "description": "Row number." },
            "label": { "type": "string", "description": "The configured label." },
            "amount": { "type": "number", "format": "decimal", "description": "id / 100 as an exact decimal." },
            "meta": { "type": "object", "properties": { "even": { "type": "boolean" } } }
          }
        }
        """;

    /// <summary>
    /// Leaves a mark when the type is first touched, so tests can tell which commands ran plugin code
    /// (<c>ECHO_LOADED_MARKER</c> names the file).
    /// </summary>
    static EchoConnector()
    {
        if (Environment.GetEnvironmentVariable("ECHO_LOADED_MARKER") is { Length: > 0 } marker)
        {
            File.AppendAllText(marker, "static constructor ran\n");
        }
    }

    /// <inheritdoc />
    public override string Name => "echo";

    /// <inheritdoc />
    public override string ConfigSchema => """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["count"],
          "properties": {
            "count": { "type": "integer", "minimum": 0, "description": "How many rows to generate." },
            "label": { "type": "string", "description": "Text put into every row." }
          }
        }
        """;

    /// <inheritdoc />
    public override IReadOnlyList<StreamDescriptor> Streams { get; } =
    [
        new StreamDescriptor { Name = "numbers", JsonSchema = NumbersSchema, PrimaryKey = ["id"], Description = "Numbered rows." },
    ];

    /// <inheritdoc />
    public override ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.Config["count"]?.GetValue<long>() ?? throw MyBiException.Config("echo: 'count' is required.");
        var label = context.Config["label"]?.GetValue<string>() ?? "echo";
        return ValueTask.FromResult<SourceSession>(new EchoSession(count, label));
    }

    private sealed class EchoSession(long count, string label) : SourceSession
    {
        public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (long i = 1; i <= count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new SourceRecord("numbers", new JsonObject
                {
                    ["id"] = i,
                    ["label"] = label,
                    ["amount"] = (i / 100m).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["meta"] = new JsonObject { ["even"] = i % 2 == 0 ? 1 : 0 },
                });
            }

            await Task.Yield();
            yield return new SourceCheckpoint(new JsonObject { ["last"] = count });
        }
    }
}
