using System.Text.Json.Nodes;
using MyBi.Abstractions.Streams;
using MyBi.Connectors.YClients.Parsing;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>Everything a read yielded, grouped for assertions.</summary>
internal sealed class ReadResult
{
    private readonly Dictionary<string, List<JsonObject>> _rows = new(StringComparer.Ordinal);

    public List<SourceWarning> Warnings { get; } = [];

    public List<JsonObject> Checkpoints { get; } = [];

    public List<SourceMessage> Messages { get; } = [];

    public JsonObject? LastState => Checkpoints.Count == 0 ? null : Checkpoints[^1];

    public IReadOnlyList<JsonObject> Rows(string stream) => _rows.GetValueOrDefault(stream) ?? [];

    public IEnumerable<JsonObject> Rows(string stream, long companyId) => Rows(stream).Where(r => Lenient.Long(r["company_id"]) == companyId);

    public void Add(SourceMessage message)
    {
        Messages.Add(message);
        switch (message)
        {
            case SourceRecord record:
                if (!_rows.TryGetValue(record.Stream, out var list))
                {
                    list = [];
                    _rows[record.Stream] = list;
                }

                list.Add(record.Data);
                break;
            case SourceCheckpoint checkpoint:
                Checkpoints.Add(checkpoint.State);
                break;
            case SourceWarning warning:
                Warnings.Add(warning);
                break;
        }
    }

    public static decimal Sum(IEnumerable<JsonObject> rows, string field) => rows.Sum(r => Lenient.Decimal(r[field]) ?? 0m);

    public static long Id(JsonObject row, string field = "id") => Lenient.Long(row[field]) ?? throw new InvalidOperationException($"row has no {field}");
}
