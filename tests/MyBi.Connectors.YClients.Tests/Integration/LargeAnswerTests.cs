using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Integration;

/// <summary>Memory is measured process-wide, so these tests run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "memory";
}

/// <summary>Answers far larger than a page should be, over real HTTP: they end in a clear error or a bounded read.</summary>
[Collection(MemoryCollection.Name)]
public sealed class LargeAnswerTests
{
    private const long Megabyte = 1024 * 1024;

    // Far below what reading these answers whole takes (several times their size), far above what the capped read needs.
    private const long AllocationBound = 300 * Megabyte;

    private static readonly ApiRequest s_records = new() { Stream = "records", Path = "/records/412345", Purpose = "read records", CompanyId = 412345 };
    private static readonly byte[] s_prefix = Encoding.UTF8.GetBytes("""{"success":true,"data":[""");
    private static readonly byte[] s_suffix = Encoding.UTF8.GetBytes("""{"id":0}],"meta":[]}""");
    private static readonly byte[] s_item = Encoding.UTF8.GetBytes("{\"id\":1,\"comment\":\"" + new string('x', 4000) + "\"},");

    private static YClientsHttpClient Client(RawHttpServer server) =>
        new(UnitClient.Options(c => c["base_url"] = server.BaseUrl.AbsoluteUri), new CountingObserver(), retryDelay: TimeSpan.FromMilliseconds(1));

    /// <summary>Writes a JSON list of about <paramref name="bytes"/> bytes from one reused buffer.</summary>
    private static async Task WriteHugeAsync(Stream output, long bytes)
    {
        await output.WriteAsync(s_prefix);
        for (long written = s_prefix.Length; written < bytes; written += s_item.Length)
        {
            await output.WriteAsync(s_item);
        }

        await output.WriteAsync(s_suffix);
    }

    private static async Task<MyBiException> FailsWithinBoundAsync(RawHttpServer server)
    {
        using var client = Client(server);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var error = await Assert.ThrowsAsync<MyBiException>(() => client.SendAsync(s_records));

        Assert.InRange(GC.GetTotalAllocatedBytes(precise: true) - before, 0, AllocationBound);
        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("max_response_mb (32 MB", error.Message, StringComparison.Ordinal);
        Assert.Contains("/records/412345", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        return error;
    }

    [Fact]
    public async Task Send_PlainAnswerOfNearlyAGigabyteWithoutLength_StopsAtTheCap()
    {
        await using var server = RawHttpServer.Start(async c =>
        {
            c.Response.ContentType = "application/json";
            c.Response.SendChunked = true;
            await WriteHugeAsync(c.Response.OutputStream, 942 * Megabyte);
        });

        await FailsWithinBoundAsync(server);
    }

    [Fact]
    public async Task Send_AnswerAnnouncingMoreThanTheCap_IsRefusedBeforeReading()
    {
        await using var server = RawHttpServer.Start(async c =>
        {
            c.Response.ContentType = "application/json";
            c.Response.ContentLength64 = 942 * Megabyte;
            await WriteHugeAsync(c.Response.OutputStream, 942 * Megabyte);
        });

        await FailsWithinBoundAsync(server);
    }

    [Fact]
    public async Task Send_SmallGzipAnswerInflatingFarPastTheCap_StopsAtTheCap()
    {
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await WriteHugeAsync(gzip, 400 * Megabyte);
        }

        var body = compressed.ToArray();
        Assert.InRange(body.Length, 1, 4 * Megabyte);
        await using var server = RawHttpServer.Start(async c =>
        {
            c.Response.ContentType = "application/json";
            c.Response.AddHeader("Content-Encoding", "gzip");
            c.Response.ContentLength64 = body.Length;
            await c.Response.OutputStream.WriteAsync(body);
        });

        await FailsWithinBoundAsync(server);
    }

    [Fact]
    public async Task Pages_WithMegabyteComments_KeepOnlyTheCutTextsAndWarn()
    {
        const int rowsPerPage = 20;
        var comment = new string('c', (int)Megabyte);
        var pageBody = (int page) =>
        {
            var data = new JsonArray();
            for (var i = 0; i < (page <= 3 ? rowsPerPage : 0); i++)
            {
                data.Add(new JsonObject { ["id"] = (page * 1000) + i, ["comment"] = comment });
            }

            return Encoding.UTF8.GetBytes(new JsonObject { ["success"] = true, ["data"] = data, ["meta"] = new JsonObject { ["page"] = page, ["total_count"] = 3 * rowsPerPage } }.ToJsonString());
        };
        var bodies = Enumerable.Range(1, 4).Select(pageBody).ToArray();
        await using var server = RawHttpServer.Start(async c =>
        {
            var page = int.Parse(c.Request.QueryString["page"]!, System.Globalization.CultureInfo.InvariantCulture);
            c.Response.ContentType = "application/json";
            c.Response.ContentLength64 = bodies[page - 1].Length;
            await c.Response.OutputStream.WriteAsync(bodies[page - 1]);
        });
        using var client = Client(server);
        var rows = new List<JsonObject>();

        await foreach (var page in Paginator.PagesAsync(client, s_records, rowsPerPage))
        {
            rows.AddRange(page);
        }

        Assert.Equal(3 * rowsPerPage, rows.Count);
        Assert.All(rows, row => Assert.Equal(65_536, row["comment"]!.GetValue<string>().Length));

        // The rows own their values: no text still points into the parsed page (a kept row would hold its whole
        // page's bytes), so what the rows keep is their cut texts, 8 MB in all instead of 120 MB of comments.
        Assert.All(rows.SelectMany(r => r), p => Assert.False(p.Value is JsonValue v && v.TryGetValue<JsonElement>(out _) && v.GetValueKind() == JsonValueKind.String, p.Key));
        var warnings = client.TakeWarnings();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("20 text value(s)", w.Message, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Equal("records", w.Stream));
    }
}
