using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class EnvelopeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private static readonly Regex s_noColonOffset = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$");
    private static readonly Regex s_naive = new(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$");
    private readonly ApiClient _api = new(fixture.Server);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Companies_My_ListsAccessibleCompaniesWithTotalCount()
    {
        var response = await _api.GetAsync("companies?my=1");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Success);
        var ids = response.Data.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(fixture.Server.Data.AccessibleCompanies.Select(c => c.Id), ids);
        Assert.DoesNotContain(fixture.Server.Data.RestrictedCompanyId, ids);
        Assert.Equal(ids.Count, response.Meta.GetProperty("total_count").GetInt32());
        Assert.Equal("Europe/Moscow", response.Data[0].GetProperty("timezone").GetString());
        Assert.Equal("Asia/Yekaterinburg", response.Data[1].GetProperty("timezone").GetString());
    }

    [Theory]
    [InlineData("companies?my=1")]
    [InlineData("records/{0}?count=5")]
    [InlineData("record/{0}/1")]
    [InlineData("no/such/route")]
    public async Task EveryAnswer_IsPlainApplicationJson(string path)
    {
        var response = await _api.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, fixture.CompanyId));

        // Exactly what YCLIENTS sends (the Blueprint's "application/json"), with no charset parameter.
        Assert.Equal("application/json", response.ContentType);
    }

    [Fact]
    public async Task Company_Single_HasEmptyArrayMeta()
    {
        var response = await _api.GetAsync($"company/{fixture.CompanyId}", SandboxCredentials.PartnerHeader());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(fixture.CompanyId, response.Data.GetProperty("id").GetInt64());
        AssertEmptyArray(response.Meta);
    }

    [Fact]
    public async Task Records_List_HasPageMetaAndLiveDateFormats()
    {
        var response = await _api.GetAsync($"records/{fixture.SecondCompanyId}?count=5&start_date={SandboxFixture.Iso(-14)}&end_date={SandboxFixture.Iso(-5)}");

        Assert.Equal(1, response.Meta.GetProperty("page").GetInt32());
        var expected = fixture.Server.Data.RecordsBetween(fixture.SecondCompanyId, SandboxFixture.Day(-14), SandboxFixture.Day(-5));
        Assert.Equal(expected.Count, response.Meta.GetProperty("total_count").GetInt32());
        Assert.Equal(5, response.Data.GetArrayLength());
        var record = response.Data[0];
        Assert.EndsWith("+05:00", record.GetProperty("datetime").GetString());
        Assert.Matches(s_naive, record.GetProperty("date").GetString()!);
        Assert.Matches(s_noColonOffset, record.GetProperty("create_date").GetString()!);
        Assert.Matches(s_noColonOffset, record.GetProperty("last_change_date").GetString()!);
        Assert.EndsWith("+0500", record.GetProperty("last_change_date").GetString());
        Assert.Equal(JsonValueKind.Array, record.GetProperty("services").ValueKind);
        Assert.Equal(JsonValueKind.Array, record.GetProperty("custom_fields").ValueKind);
        Assert.False(record.TryGetProperty("consumables", out _));
        Assert.False(record.TryGetProperty("finance_transactions", out _));
    }

    [Fact]
    public async Task Record_SingleWithIncludes_HasConsumablesAndFinanceTransactions()
    {
        var data = fixture.Server.Data;
        var record = data.Records(fixture.CompanyId).First(r => r.PaidFull && data.Consumables(fixture.CompanyId).Any(c => c.RecordId == r.Id));

        var response = await _api.GetAsync($"record/{fixture.CompanyId}/{record.Id}?include_consumables=1&include_finance_transactions=1");

        AssertEmptyArray(response.Meta);
        Assert.Equal(record.Id, response.Data.GetProperty("id").GetInt64());
        Assert.True(response.Data.GetProperty("consumables").GetArrayLength() > 0);
        var payments = response.Data.GetProperty("finance_transactions");
        Assert.Equal(record.ServicesCost + record.GoodsCost, payments.EnumerateArray().Sum(p => p.GetProperty("amount").GetDecimal()));
        Assert.Matches(s_naive, payments[0].GetProperty("date").GetString()!);
    }

    [Fact]
    public async Task Record_AnonymousClient_IsNull()
    {
        var record = fixture.Server.Data.Records(fixture.CompanyId).First(r => r.ClientId is null);

        var response = await _api.GetAsync($"record/{fixture.CompanyId}/{record.Id}");

        Assert.Equal(JsonValueKind.Null, response.Data.GetProperty("client").ValueKind);
    }

    [Fact]
    public async Task Clients_LegacyList_DefaultsToTwentyWithPageMeta()
    {
        var response = await _api.GetAsync($"clients/{fixture.CompanyId}");

        Assert.Equal(20, response.Data.GetArrayLength());
        Assert.Equal(1, response.Meta.GetProperty("page").GetInt32());
        Assert.Equal(fixture.Server.Data.Clients(fixture.CompanyId).Count, response.Meta.GetProperty("total_count").GetInt32());
        Assert.Matches(s_noColonOffset, response.Data[0].GetProperty("last_change_date").GetString()!);
    }

    [Fact]
    public async Task ClientsSearch_RequestedFields_AreTheOnlyFields()
    {
        var client = fixture.Server.Data.Clients(fixture.CompanyId)[3];
        var body = JsonSerializer.Serialize(new
        {
            page = 1,
            page_size = 200,
            fields = new[] { "id", "name", "phone" },
            filters = new object[] { new { type = "quick_search", state = new { value = client.Phone } } },
        });

        var response = await _api.PostAsync($"company/{fixture.CompanyId}/clients/search", body);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(1, response.Meta.GetProperty("total_count").GetInt32());
        var row = Assert.Single(response.Data.EnumerateArray());
        Assert.Equal(["id", "name", "phone"], row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(client.Id, row.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ClientsSearch_UnsupportedFilter_Returns400WithErrors()
    {
        var body = """{"filters":[{"type":"birthday","state":{}}]}""";

        var response = await _api.PostAsync($"company/{fixture.CompanyId}/clients/search", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.False(response.Success);
        Assert.True(response.Meta.GetProperty("errors").TryGetProperty("filters", out _));
    }

    [Fact]
    public async Task Client_Single_HasSurnameAndEmptyArrayMeta()
    {
        var client = fixture.Server.Data.Clients(fixture.CompanyId)[0];

        var response = await _api.GetAsync($"client/{fixture.CompanyId}/{client.Id}");

        Assert.Equal(client.Surname, response.Data.GetProperty("surname").GetString());
        AssertEmptyArray(response.Meta);
    }

    [Theory]
    [InlineData("services", "total_count")]
    [InlineData("service_categories", "total_count")]
    [InlineData("staff", "count")]
    public async Task Catalog_List_HasDocumentedMeta(string resource, string metaName)
    {
        var response = await _api.GetAsync($"company/{fixture.CompanyId}/{resource}", SandboxCredentials.PartnerHeader());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(response.Data.GetArrayLength(), response.Meta.GetProperty(metaName).GetInt32());
        Assert.True(response.Data.GetArrayLength() > 0);
    }

    [Fact]
    public async Task Transactions_List_HasStringIdsAndAmountsAndEmptyMeta()
    {
        var response = await _api.GetAsync($"transactions/{fixture.CompanyId}?count=100&start_date={SandboxFixture.Iso(-43)}&end_date={SandboxFixture.Iso(-1)}");

        AssertEmptyArray(response.Meta);
        var second = await _api.GetAsync($"transactions/{fixture.CompanyId}?count=100&start_date={SandboxFixture.Iso(-43)}&end_date={SandboxFixture.Iso(-1)}&page=2");
        var rows = response.Data.EnumerateArray().Concat(second.Data.EnumerateArray()).ToList();
        Assert.Equal(200, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal(JsonValueKind.String, row.GetProperty("id").ValueKind);
            Assert.Matches(@"^-?\d+\.\d{2}$", row.GetProperty("amount").GetString()!);
            Assert.Matches(s_noColonOffset, row.GetProperty("date").GetString()!);
        });
        var expense = rows.First(r => r.GetProperty("amount").GetString()!.StartsWith('-'));
        Assert.Equal(JsonValueKind.Array, expense.GetProperty("master").ValueKind);
        Assert.Equal(JsonValueKind.Array, expense.GetProperty("client").ValueKind);
        Assert.Equal(JsonValueKind.Object, expense.GetProperty("supplier").ValueKind);
    }

    [Fact]
    public async Task StorageTransactions_List_DefaultsToTwentyWithCountMeta()
    {
        var response = await _api.GetAsync($"storages/transactions/{fixture.CompanyId}");

        Assert.Equal(20, response.Data.GetArrayLength());
        Assert.Equal(fixture.Server.Data.GoodsTransactions(fixture.CompanyId).Count, response.Meta.GetProperty("count").GetInt32());
        var sale = response.Data.EnumerateArray().FirstOrDefault(t => t.GetProperty("type_id").GetInt32() == 1);
        if (sale.ValueKind == JsonValueKind.Object)
        {
            Assert.True(sale.GetProperty("amount").GetDecimal() < 0);
        }
    }

    [Theory]
    [InlineData("storages/{0}")]
    [InlineData("accounts/{0}")]
    [InlineData("labels/{0}/2")]
    public async Task SimpleLists_HaveEmptyArrayMeta(string pathFormat)
    {
        var response = await _api.GetAsync(string.Format(pathFormat, fixture.CompanyId));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Data.GetArrayLength() > 0);
        AssertEmptyArray(response.Meta);
    }

    [Fact]
    public async Task Goods_List_HasCountMeta()
    {
        var response = await _api.GetAsync($"goods/{fixture.CompanyId}");

        Assert.Equal(fixture.Server.Data.Goods(fixture.CompanyId).Count, response.Meta.GetProperty("count").GetInt32());
        Assert.Equal(response.Meta.GetProperty("count").GetInt32(), response.Data.GetArrayLength());
    }

    [Fact]
    public async Task Documents_VisitDocument_ResolvesWithItsTransactions()
    {
        var data = fixture.Server.Data;
        var record = data.Records(fixture.CompanyId).First(r => r.PaidFull && r.Goods.Count > 0);
        var documentId = record.DocumentIds[0];

        var document = await _api.GetAsync($"storage_operations/documents/{fixture.CompanyId}/{documentId}");
        var finance = await _api.GetAsync($"storage_operations/documents/finance_transactions/{documentId}");
        var goods = await _api.GetAsync($"storage_operations/documents/goods_transactions/{documentId}");

        Assert.Equal(7, document.Data.GetProperty("type_id").GetInt32());
        Assert.Equal(3, document.Data.GetProperty("company").GetProperty("timezone").GetInt32());
        Assert.Equal(record.ServicesCost + record.GoodsCost, finance.Data.EnumerateArray().Sum(t => t.GetProperty("amount").GetDecimal()));
        AssertEmptyArray(finance.Meta);
        Assert.Equal(record.Goods.Count, goods.Meta.GetProperty("count").GetInt32());
        Assert.True(documentId > int.MaxValue);
    }

    [Fact]
    public async Task RecordConsumables_RecordWithCard_ListsCardsAndWriteOffs()
    {
        var data = fixture.Server.Data;
        var consumable = data.Consumables(fixture.CompanyId)[0];

        var response = await _api.GetAsync($"technological_cards/record_consumables/{fixture.CompanyId}/{consumable.RecordId}/");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var service = response.Data.EnumerateArray().Single(s => s.GetProperty("service_id").GetInt64() == consumable.ServiceId);
        Assert.Contains(service.GetProperty("consumables").EnumerateArray(), c => c.GetProperty("goods_transaction_id").GetInt64() == consumable.Id);
        Assert.True(service.GetProperty("technological_cards").GetArrayLength() == 1);
    }

    [Fact]
    public async Task Visit_WithTwoRecords_ReturnsBoth()
    {
        var data = fixture.Server.Data;
        var visit = data.Visits(fixture.CompanyId).First(v => v.RecordIds.Count > 1 && v.RecordIds.All(id => !data.Record(fixture.CompanyId, id).Deleted));

        var response = await _api.GetAsync($"visits/{visit.Id}");

        AssertEmptyArray(response.Meta);
        Assert.Equal(visit.RecordIds, response.Data.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.All(response.Data.GetProperty("records").EnumerateArray(), r => Assert.Equal(visit.Id, r.GetProperty("visit_id").GetInt64()));
    }

    [Fact]
    public async Task HooksSettings_PostThenGet_ReturnsSavedSettings()
    {
        var body = """{"urls":["https://etl.example.ru/hooks?token=x"],"active":1,"record":1,"finances_operation":1}""";

        var saved = await _api.PostAsync($"hooks_settings/{fixture.SecondCompanyId}", body);
        var read = await _api.GetAsync($"hooks_settings/{fixture.SecondCompanyId}");

        Assert.Equal(HttpStatusCode.Created, saved.Status);
        Assert.Equal("https://etl.example.ru/hooks?token=x", read.Data.GetProperty("urls")[0].GetString());
        Assert.Equal(1, read.Data.GetProperty("record").GetInt32());
        Assert.Equal(0, read.Data.GetProperty("client").GetInt32());
    }

    [Fact]
    public async Task HooksSettings_PostWithoutUrls_Returns400()
    {
        var response = await _api.PostAsync($"hooks_settings/{fixture.CompanyId}", """{"active":1}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.False(response.Success);
        Assert.Equal(JsonValueKind.Null, response.Data.ValueKind);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Envelope()
    {
        var response = await _api.GetAsync("no_such_endpoint/1");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("Не найдено", response.Message);
    }

    [Fact]
    public async Task EmptyList_IsEmptyDataArray()
    {
        var response = await _api.GetAsync($"records/{fixture.CompanyId}?start_date=2020-01-01&end_date=2020-01-31");

        Assert.True(response.Success);
        Assert.Equal(0, response.Data.GetArrayLength());
        Assert.Equal(0, response.Meta.GetProperty("total_count").GetInt32());
    }

    private static void AssertEmptyArray(JsonElement element)
    {
        Assert.Equal(JsonValueKind.Array, element.ValueKind);
        Assert.Equal(0, element.GetArrayLength());
    }
}
