using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.DuckDb.Tests;

/// <summary>A query sees the warehouse's own tables and nothing else of the machine it runs on.</summary>
public sealed class DuckDbQueryIsolationTests : IDisposable
{
    private const string Token = "tok-5d1c0a9e7b3f";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task QueryAsync_ReadTextOfASystemFile_IsRefused()
    {
        await using var destination = await LoadedAsync();

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT content FROM read_text('/etc/passwd')", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.DoesNotContain("root:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_ReadCsvOfTheSecretsFile_IsRefusedWithoutShowingIt()
    {
        await using var destination = await LoadedAsync();
        Directory.CreateDirectory(_folder.File(".mybi"));
        var secrets = _folder.File(".mybi/secrets.env");
        await File.WriteAllTextAsync(secrets, $"YCLIENTS_USER_TOKEN={Token}\n");

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => destination.QueryAsync($"SELECT * FROM read_csv('{secrets}', delim = '=', header = false)", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_GlobOverAFolder_IsRefused()
    {
        await using var destination = await LoadedAsync();
        await File.WriteAllTextAsync(_folder.File("private.txt"), "x");

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync($"SELECT file FROM glob('{_folder.Path}/*')", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.DoesNotContain("private.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_ReadCsvOverHttp_IsRefusedWithoutInstallingAnExtension()
    {
        await using var destination = await LoadedAsync();

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT * FROM read_csv('http://127.0.0.1:1/x.csv')", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.DoesNotContain("httpfs", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("install", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Connection_HasExternalAccessOffAndItsConfigurationLocked()
    {
        await using var destination = await LoadedAsync();

        var settings = await destination.QueryAsync(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'autoinstall_known_extensions', 'autoload_known_extensions', 'lock_configuration') ORDER BY name",
            10);

        Assert.Equal(
            ["autoinstall_known_extensions=false", "autoload_known_extensions=false", "enable_external_access=false", "lock_configuration=true"],
            settings.Rows.Select(r => $"{r[0]}={r[1]}"));
    }

    [Fact]
    public async Task Connection_DefaultMemoryLimitAndThreads_AreBounded()
    {
        await using var destination = await LoadedAsync();

        var memory = Assert.Single((await destination.QueryAsync("SELECT current_setting('memory_limit')", 1)).Rows)[0];
        var threads = Convert.ToInt64(Assert.Single((await destination.QueryAsync("SELECT current_setting('threads')", 1)).Rows)[0], System.Globalization.CultureInfo.InvariantCulture);

        // DuckDB prints the limit in binary units: 2 GB (10^9 bytes) reads back as 1.8 GiB.
        Assert.Equal("1.8 GiB", memory);
        Assert.Equal(DuckDbDestinationOptions.DefaultThreadsFor(Environment.ProcessorCount), threads);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(16, 4)]
    public void DefaultThreads_OneOnTwoCoresOrFewer_ElseTheCoresUpToFour(int cores, int expected) =>
        Assert.Equal(expected, DuckDbDestinationOptions.DefaultThreadsFor(cores));

    [Fact]
    public async Task Connection_ConfiguredMemoryLimitAndThreads_AreApplied()
    {
        var config = new JsonObject { ["type"] = "duckdb", ["path"] = "w.duckdb", ["memory_limit"] = "512MB", ["threads"] = 1 };
        await using var destination = new DuckDbDestinationProvider().Create(config, _folder.Path);
        await destination.EnsureTableAsync(KeyValue());

        var memory = Assert.Single((await destination.QueryAsync("SELECT current_setting('memory_limit')", 1)).Rows)[0];
        var threads = Assert.Single((await destination.QueryAsync("SELECT current_setting('threads')", 1)).Rows)[0];

        Assert.Equal("488.2 MiB", memory);
        Assert.Equal(1L, Convert.ToInt64(threads, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{"type":"duckdb","memory_limit":"lots"}""", "memory_limit")]
    [InlineData("""{"type":"duckdb","memory_limit":2}""", "memory_limit")]
    [InlineData("""{"type":"duckdb","memory_limit":"0GB"}""", "memory_limit")]
    [InlineData("""{"type":"duckdb","threads":0}""", "threads")]
    [InlineData("""{"type":"duckdb","threads":"two"}""", "threads")]
    public void Create_InvalidResourceLimits_ThrowsConfigNamingTheSetting(string json, string expected)
    {
        var error = Assert.Throws<MyBiException>(() => new DuckDbDestinationProvider().Create(JsonNode.Parse(json)!.AsObject(), _folder.Path));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritesAfterAQuery_StillWork()
    {
        await using var destination = await LoadedAsync();
        await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT * FROM read_text('/etc/hostname')", 10).AsTask());
        var schema = KeyValue();

        await destination.WriteAsync(new RecordBatch(schema, [[2L, "b"]]), WriteMode.Merge);

        Assert.Equal(2, (await destination.QueryAsync("SELECT * FROM kv", 10)).Rows.Count);
    }

    private async Task<DuckDbDestination> LoadedAsync()
    {
        var destination = new DuckDbDestination(new DuckDbDestinationOptions(_folder.File("warehouse.duckdb")));
        var schema = KeyValue();
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "a"]]), WriteMode.Merge);
        return destination;
    }

    private static TableSchema KeyValue() => new(
        "kv",
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("name", ColumnType.String)],
        ["id"]);
}
