using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// `mybi serve` of one pipeline as a child process on a free port, with its secret, its base URL and its log; and
/// webhook bodies shaped as YCLIENTS sends them, from the sandbox's own API answers.
/// </summary>
internal sealed class ServeHarness : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    private ServeHarness(string pipeline, string secret, int port)
    {
        Pipeline = pipeline;
        Secret = secret;
        Port = port;
    }

    public string Pipeline { get; }

    public string Secret { get; }

    public int Port { get; }

    public string HookUrl => $"http://127.0.0.1:{Port}/hooks/{Pipeline}/{Secret}";

    public string Log => ServeProcesses.Text(_log);

    /// <summary>Creates the pipeline's secret with `mybi hooks url`, starts serving and waits until it answers.</summary>
    public static async Task<ServeHarness> StartAsync(string folder, string path, string pipeline)
    {
        var url = await CliProcess.RunAsync(folder, null, "hooks", "url", path);
        Assert.True(url.ExitCode == 0, url.ToString());
        var harness = new ServeHarness(pipeline, url.Stdout.Trim().Split('/')[^1], ServeProcesses.FreePort());
        harness.Start(folder, path);
        await harness.WaitAsync();
        return harness;
    }

    /// <summary>Posts one body; the status code.</summary>
    public async Task<HttpStatusCode> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync(HookUrl, new StringContent(body, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>SIGTERM, as a service manager stops it: the server finishes applying what it committed, then exits.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await ServeProcesses.StopAsync(_process);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    /// <summary>The <c>data</c> of a record event: the record as the API answers it.</summary>
    public static async Task<JsonObject> RecordJsonAsync(SandboxServer server, long companyId, long recordId) =>
        await ApiObjectAsync(server, $"record/{companyId}/{recordId}");

    /// <summary>The <c>data</c> of a client event: the client as the API answers it.</summary>
    public static async Task<JsonObject> ClientJsonAsync(SandboxServer server, long companyId, long clientId) =>
        await ApiObjectAsync(server, $"client/{companyId}/{clientId}");

    public static string Event(long companyId, string resource, long id, string status, JsonNode? data)
    {
        var body = new JsonObject { ["company_id"] = companyId, ["resource"] = resource, ["resource_id"] = id, ["status"] = status };
        if (data is not null)
        {
            body["data"] = data.DeepClone();
        }

        return body.ToJsonString();
    }

    private static async Task<JsonObject> ApiObjectAsync(SandboxServer server, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.BaseUrl.AbsoluteUri.TrimEnd('/')}/{path}");
        request.Headers.TryAddWithoutValidation("Authorization", SandboxCredentials.UserHeader());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.yclients.v2+json"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsObject();
    }

    private void Start(string folder, string path) => _process = ServeProcesses.Start(folder, _log, path, "--listen", $"127.0.0.1:{Port}");

    private Task WaitAsync() => ServeProcesses.WaitListeningAsync(_process!, Port, _log);
}
