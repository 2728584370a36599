using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Cli.Tests;

/// <summary>Writes pipeline files against a running sandbox and reads results through `mybi query --json`.</summary>
internal sealed class SandboxPipeline
{
    public SandboxPipeline(string folder, SandboxServer server)
    {
        Folder = folder;
        Server = server;
    }

    public string Folder { get; }

    public SandboxServer Server { get; }

    public long CompanyId => Server.Data.AccessibleCompanies[0].Id;

    public string Write(string name, string config, string streams = "[companies, records, record_services, clients, services, service_categories, staff]", string? database = null)
    {
        var path = Path.Combine(Folder, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            source:
              connector: yclients
              config: {config}
              streams: {streams}
            destination:
              type: duckdb
              path: ./{database ?? name}.duckdb
            """);
        return path;
    }

    /// <summary>A pipeline into any destination; <paramref name="destination"/> is the destination block as a YAML flow mapping.</summary>
    public string WriteTo(string name, string config, string streams, string destination)
    {
        var path = Path.Combine(Folder, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            source:
              connector: yclients
              config: {config}
              streams: {streams}
            destination: {destination}
            """);
        return path;
    }

    public string TokenConfig(string? baseUrl = null, long? companyId = null, string? userToken = null) =>
        $"{{base_url: \"{baseUrl ?? Server.BaseUrl.ToString()}\", partner_token: \"{SandboxCredentials.PartnerToken}\", user_token: \"{userToken ?? SandboxCredentials.UserToken}\", company_id: {companyId ?? CompanyId}}}";

    /// <summary>
    /// A DuckDB pipeline with optional <c>source.filters</c> (a YAML flow mapping) and extra top-level YAML lines
    /// such as <c>plan: {...}</c> or <c>sync: {...}</c>.
    /// </summary>
    public string WriteWith(string name, string config, string streams, string? filters = null, string? extra = null)
    {
        var path = Path.Combine(Folder, name + ".yaml");
        var filterLine = filters is null ? "" : $"\n  filters: {filters}";
        var extraLines = extra is null ? "" : "\n" + extra;
        File.WriteAllText(path, $"""
            name: {name}
            source:
              connector: yclients
              config: {config}
              streams: {streams}{filterLine}
            destination:
              type: duckdb
              path: ./{name}.duckdb{extraLines}
            """);
        return path;
    }

    /// <summary>Every row a query returns (up to <paramref name="limit"/>), as the JSON array `mybi query --json` prints.</summary>
    public async Task<System.Text.Json.JsonElement> QueryAsync(string pipeline, string sql, int limit = 1000)
    {
        var result = await CliProcess.RunAsync(Folder, null, "query", pipeline, sql, "--json", "--limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.ToString());
        return System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    public async Task<System.Text.Json.JsonElement> QueryOneAsync(string pipeline, string sql)
    {
        var result = await CliProcess.RunAsync(Folder, null, "query", pipeline, sql, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement[0];
    }
}
