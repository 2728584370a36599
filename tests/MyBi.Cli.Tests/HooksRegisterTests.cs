using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>`mybi hooks register` and `mybi hooks status` against the sandbox's /hooks_settings.</summary>
public sealed class HooksRegisterTests : IAsyncLifetime
{
    private const string Theirs = "https://etl.example.ru/hooks/yclients?token=7d1f0c3a";

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-register-").FullName;
    private readonly HttpClient _http = new();
    private SandboxServer _server = null!;
    private SandboxPipeline _pipelines = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSandboxes.StartAsync(seed: 5, clients: 10, daysBack: 2, daysForward: 1);
        _pipelines = new SandboxPipeline(_folder, _server);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Register_KeepsOtherUrls_TurnsOnTheKindsOfTheStreams_StatusMasksSecrets()
    {
        await SaveAsync([Theirs], client: 1);
        var path = _pipelines.Write("salon", _pipelines.TokenConfig(), "[records, record_services, finance_transactions]");

        var first = await CliProcess.RunAsync(_folder, null, "hooks", "register", path, "--public-url", "https://bi.example.com/");
        var again = await CliProcess.RunAsync(_folder, null, "hooks", "register", path, "--public-url", "https://bi.example.com/");
        var status = await CliProcess.RunAsync(_folder, null, "hooks", "status", path);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(status.ExitCode == 0, status.ToString());
        var secret = File.ReadAllText(Path.Combine(_folder, ".mybi", "secrets.env")).Split('=')[1].Trim();
        var settings = await ReadAsync();
        var urls = settings.GetProperty("urls").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.Equal([Theirs, $"https://bi.example.com/hooks/salon/{secret}"], urls);
        Assert.Equal(1, settings.GetProperty("active").GetInt32());
        Assert.Equal(1, settings.GetProperty("record").GetInt32());
        Assert.Equal(1, settings.GetProperty("finances_operation").GetInt32());
        Assert.Equal(1, settings.GetProperty("client").GetInt32());
        Assert.Equal(0, settings.GetProperty("goods_operations_sale").GetInt32());

        Assert.Contains("https://etl.example.ru/hooks/yclients?token=***", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("https://bi.example.com/hooks/salon/***  (this pipeline)", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("on:  client, record, finances_operation", status.Stdout, StringComparison.Ordinal);
        foreach (var output in new[] { first, again, status })
        {
            Assert.DoesNotContain(secret, output.All, StringComparison.Ordinal);
            Assert.DoesNotContain("7d1f0c3a", output.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Register_TenUrlsAlready_FailsClearly_AndChangesNothing()
    {
        var ten = Enumerable.Range(1, 10).Select(i => $"https://other{i}.example.com/hook").ToArray();
        await SaveAsync(ten, client: 0);
        var path = _pipelines.Write("full", _pipelines.TokenConfig(), "[records]");

        var result = await CliProcess.RunAsync(_folder, null, "hooks", "register", path, "--public-url", "https://bi.example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already sends webhooks to 10 URLs", result.Stderr, StringComparison.Ordinal);
        var settings = await ReadAsync();
        Assert.Equal(ten, settings.GetProperty("urls").EnumerateArray().Select(u => u.GetString()).ToArray());
        Assert.Equal(0, settings.GetProperty("record").GetInt32());
    }

    [Fact]
    public async Task RegisterAndStatus_WithoutTheRightToSettings_Say403Clearly()
    {
        var path = _pipelines.Write("limited", _pipelines.TokenConfig(userToken: SandboxCredentials.LimitedUserToken), "[clients]");

        var register = await CliProcess.RunAsync(_folder, null, "hooks", "register", path, "--public-url", "https://bi.example.com");
        var status = await CliProcess.RunAsync(_folder, null, "hooks", "status", path);

        Assert.Equal(2, register.ExitCode);
        Assert.Contains("no right to read the webhook settings", register.Stderr, StringComparison.Ordinal);
        Assert.Contains("403", register.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("no right to read the webhook settings", status.Stderr, StringComparison.Ordinal);
        Assert.Empty((await ReadAsync()).GetProperty("urls").EnumerateArray());
    }

    private async Task SaveAsync(string[] urls, int client)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["urls"] = urls, ["active"] = 1, ["client"] = client });
        using var request = Request(HttpMethod.Post);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<JsonElement> ReadAsync()
    {
        using var request = Request(HttpMethod.Get);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }

    private HttpRequestMessage Request(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, $"{_server.BaseUrl}/hooks_settings/{_pipelines.CompanyId}");
        request.Headers.TryAddWithoutValidation("Authorization", SandboxCredentials.UserHeader());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.yclients.v2+json"));
        return request;
    }
}
