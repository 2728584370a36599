using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Streams;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class RowShaperTests
{
    private static readonly StreamCatalog s_catalog = StreamCatalog.Load(AppContext.BaseDirectory);

    [Fact]
    public void Shape_RecordWithNaiveDate_GetsCompanyOffsetAndCompanyId()
    {
        var record = Samples.Json("records_list.json")["data"]![0]!.AsObject();
        record.Parent!.AsArray().Clear();
        var company = new CompanyInfo(412345, new JsonObject { ["timezone"] = "Asia/Yekaterinburg" });

        var row = RowShaper.Shape(record, s_catalog[StreamNames.Records], company);

        Assert.Equal("2024-03-01T15:00:00+05:00", Text(row["date"]));
        Assert.Equal("2024-03-01T15:00:00+03:00", Text(row["datetime"]));
        Assert.Equal("2024-02-20T18:04:55+03:00", Text(row["create_date"]));
        Assert.Equal(412345L, row["company_id"]!.GetValue<long>());
    }

    [Fact]
    public void Shape_DocumentCreateDate_IsPlacedInCompanyZone()
    {
        var document = Samples.Json("document_single.json")["data"]!.AsObject();
        document.Parent!.AsObject().Remove("data");
        var company = new CompanyInfo(412345, new JsonObject { ["timezone"] = 3 });

        var row = RowShaper.Shape(document, s_catalog[StreamNames.Documents], company);

        Assert.Equal("2024-03-01T20:45:00+03:00", Text(row["create_date"]));
    }

    [Fact]
    public void Shape_Times_BecomeTimestampValuesNotText()
    {
        var record = Samples.Json("records_list.json")["data"]![0]!.AsObject();
        record.Parent!.AsArray().Clear();

        var row = RowShaper.Shape(record, s_catalog[StreamNames.Records], new CompanyInfo(412345, new JsonObject { ["timezone"] = 3 }));

        // The engine takes these as they are: no text to format here and parse again there.
        Assert.False(row["datetime"]!.AsValue().TryGetValue<string>(out _));
        var datetime = row["datetime"]!.GetValue<DateTimeOffset>();
        Assert.Equal(TimeSpan.FromHours(3), datetime.Offset);
        Assert.Equal(new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc), datetime.UtcDateTime);
    }

    [Fact]
    public void Shape_DateTimeThatIsNoTime_BecomesNull()
    {
        var row = new JsonObject { ["id"] = 1, ["last_change_date"] = "0000-00-00 00:00:00" };

        RowShaper.Shape(row, s_catalog[StreamNames.Goods], new CompanyInfo(1, new JsonObject { ["timezone"] = 3 }));

        Assert.Null(row["last_change_date"]);
    }

    // Instant and offset together: DateTimeOffset equality alone would accept a wrong offset for the same instant.
    private static string Text(JsonNode? node) =>
        node!.GetValue<DateTimeOffset>().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}
