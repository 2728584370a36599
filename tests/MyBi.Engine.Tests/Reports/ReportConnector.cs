using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;

namespace MyBi.Engine.Tests.Reports;

/// <summary>A connector with one report type whose rows a test controls; it records the periods asked.</summary>
internal sealed class ReportConnector : SourceConnector
{
    private const string PaymentsSchema = """
        { "type": "object", "properties": {
            "id": { "type": "integer" }, "company_id": { "type": "integer" },
            "date": { "type": "string", "format": "date-time" },
            "amount": { "type": "number", "format": "decimal" },
            "account": { "type": "object", "properties": { "id": { "type": "integer" }, "title": { "type": "string" } } },
            "comment": { "type": "string" } } }
        """;

    public List<JsonObject> Rows { get; } = [];

    public List<ReportRequest> Requests { get; } = [];

    public override string Name => "shop";

    public override string ConfigSchema => """{ "type": "object" }""";

    public override IReadOnlyList<StreamDescriptor> Streams { get; } = [];

    public override IReadOnlyList<ReportTypeDescriptor> ReportTypes { get; } =
    [
        new ReportTypeDescriptor { Name = "payments", JsonSchema = PaymentsSchema, KeyField = "id", DateField = "date" },
    ];

    public static JsonObject Payment(long id, DateOnly day, decimal amount, string account = "Касса") => new()
    {
        ["id"] = id,
        ["company_id"] = 7,
        ["date"] = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T12:00:00+0300",
        ["amount"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["account"] = new JsonObject { ["id"] = 1, ["title"] = account },
        ["comment"] = "не выбирается",
    };

    public override ValueTask<SourceSession> ConnectAsync(SourceContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<SourceSession>(new Session(this));

    private sealed class Session(ReportConnector owner) : SourceSession
    {
        public override IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no streams");

        public override async IAsyncEnumerable<SourceMessage> ReadReportAsync(ReportRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            owner.Requests.Add(request);
            await Task.Yield();
            foreach (var row in owner.Rows)
            {
                var day = DateOnly.FromDateTime(DateTimeOffset.Parse(row["date"]!.GetValue<string>().Insert(22, ":"), System.Globalization.CultureInfo.InvariantCulture).DateTime);
                if (day >= request.From && day <= request.To)
                {
                    yield return new SourceRecord(request.ReportType, (JsonObject)row.DeepClone());
                }
            }
        }
    }
}
