using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Streams;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class RecordFilterTests
{
    private static readonly StreamCatalog s_catalog = StreamCatalog.Load(AppContext.BaseDirectory);

    private static RecordFilter Parse(string stream, JsonObject filter) =>
        RecordFilter.Parse(new Dictionary<string, JsonObject> { [stream] = filter }, s_catalog);

    [Fact]
    public void Parse_UnknownField_ConfigNamingSupportedOnes()
    {
        var error = Assert.Throws<MyBiException>(() => Parse("records", new JsonObject { ["client_id"] = 5 }));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("client_id", error.Message, StringComparison.Ordinal);
        Assert.Contains("service_category_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FilterOnChildStream_ConfigPointingToRecords()
    {
        var error = Assert.Throws<MyBiException>(() => Parse("record_services", new JsonObject { ["staff_id"] = 5 }));

        Assert.Contains("records stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FilterOnStreamWithoutFilters_Config()
    {
        Assert.Throws<MyBiException>(() => Parse("clients", new JsonObject { ["id"] = 5 }));
    }

    [Fact]
    public void Accepts_ServiceCategory_UsesTheServiceToCategoryMap()
    {
        var record = Samples.Json("records_list.json")["data"]![0]!.AsObject();
        var map = new Dictionary<long, long> { [6137968] = 2051144, [6138001] = 2051150 };

        Assert.True(Parse("records", new JsonObject { ["service_category_id"] = new JsonArray(2051144) }).Accepts(record, map));
        Assert.False(Parse("records", new JsonObject { ["service_category_id"] = 2051150 }).Accepts(record, map));
    }

    [Fact]
    public void Accepts_Staff_KeepsOnlyTheirRecords()
    {
        var records = Samples.Json("records_list.json")["data"]!.AsArray();
        var filter = Parse("records", new JsonObject { ["staff_id"] = new JsonArray(1080012) });

        Assert.False(filter.Accepts(records[0]!.AsObject(), null));
        Assert.True(filter.Accepts(records[1]!.AsObject(), null));
    }

    [Fact]
    public void Records_Schema_DeclaresTheFilters()
    {
        Assert.Equal(["service_category_id", "staff_id"], s_catalog["records"].FilterFields);
    }
}
