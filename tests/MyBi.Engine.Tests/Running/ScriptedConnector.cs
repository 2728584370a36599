using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;

namespace MyBi.Engine.Tests.Running;

/// <summary>A connector whose messages a test writes out in advance; steps can also run test code mid-read.</summary>
internal sealed class ScriptedConnector : SourceConnector
{
    private const string ItemsSchema = """
        { "type": "object", "properties": {
            "id": { "type": "integer" }, "name": { "type": "string" },
            "price": { "type": "number", "format": "decimal" } } }
        """;

    private readonly Func<ReadRequest, IEnumerable<Func<Task<SourceMessage?>>>> _script;

    public ScriptedConnector(Func<ReadRequest, IEnumerable<Func<Task<SourceMessage?>>>> script) => _script = script;

    public int Connects { get; private set; }

    public ReadRequest? LastRequest { get; private set; }

    public override string Name => "scripted";

    public override string ConfigSchema => """{ "type": "object" }""";

    public override IReadOnlyList<StreamDescriptor> Streams { get; } =
    [
        new StreamDescriptor { Name = "items", JsonSchema = ItemsSchema, PrimaryKey = ["id"] },
        new StreamDescriptor { Name = "other", JsonSchema = ItemsSchema, PrimaryKey = ["id"] },
    ];

    public static SourceMessage Item(long id, string name = "x", decimal price = 1.5m) =>
        new SourceRecord("items", new JsonObject { ["id"] = id, ["name"] = name, ["price"] = price });

    public static Func<Task<SourceMessage?>> Step(SourceMessage message) => () => Task.FromResult<SourceMessage?>(message);

    public static Func<Task<SourceMessage?>> Do(Func<Task> action) => async () =>
    {
        await action();
        return null;
    };

    public override ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default)
    {
        Connects++;
        return ValueTask.FromResult<SourceSession>(new Session(this));
    }

    private sealed class Session(ScriptedConnector owner) : SourceSession
    {
        public override async IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            owner.LastRequest = request;
            foreach (var step in owner._script(request))
            {
                var message = await step();
                if (message is not null)
                {
                    yield return message;
                }
            }
        }
    }
}
