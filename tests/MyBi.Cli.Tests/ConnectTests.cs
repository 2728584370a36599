using System.Globalization;
using MyBi.Connectors.YClients.Sandbox;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>Runs alone: the connect command reads the process environment and writes its errors to the console.</summary>
[CollectionDefinition(nameof(ConnectTests), DisableParallelization = true)]
public sealed class ConnectTestsCollection
{
}

[Collection(nameof(ConnectTests))]
public sealed class ConnectTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-connect-").FullName;
    private SandboxServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SandboxServer.StartAsync(new SandboxOptions { Seed = 11, Companies = 2, ClientsPerCompany = 40, DaysBack = 5, DaysForward = 2, Today = TestClock.Today, TimeProvider = TestClock.Running });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// Runs `mybi connect` with the CLI's own command class, in this process and with its real options parsing.
    /// `connect` is not yet registered in the program's command list, so the child-process route is not available.
    /// </summary>
    private Task<CliResult> ConnectAsync(params string[] args) => CliProcess.RunAsync(_folder, null, ["connect", .. args]);

    private static async Task<T> WithEnvironmentAsync<T>(IReadOnlyDictionary<string, string> variables, Func<Task<T>> action)
    {
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            return await action();
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public async Task Connect_NonInteractive_WritesPipelineAndSecretsThatValidateAndSync()
    {
        var company = _server.Data.AccessibleCompanies[1].Id.ToString(CultureInfo.InvariantCulture);
        var result = await WithEnvironmentAsync(
            new Dictionary<string, string> { ["MYBI_CONNECT_PASSWORD"] = SandboxCredentials.Password, ["MYBI_CONNECT_PARTNER_TOKEN"] = SandboxCredentials.PartnerToken },
            () => ConnectAsync("yclients", "--out", "salon.yaml", "--base-url", _server.BaseUrl.AbsoluteUri, "--login", SandboxCredentials.Login, "--company", company));

        Assert.True(result.ExitCode == 0, result.ToString());
        var pipeline = await File.ReadAllTextAsync(Path.Combine(_folder, "salon.yaml"));
        Assert.Contains("user_token: ${SALON_USER_TOKEN}", pipeline, StringComparison.Ordinal);
        Assert.Contains("partner_token: ${SALON_PARTNER_TOKEN}", pipeline, StringComparison.Ordinal);
        Assert.Contains($"company_id: {company}", pipeline, StringComparison.Ordinal);
        foreach (var secret in new[] { SandboxCredentials.Password, SandboxCredentials.UserToken, SandboxCredentials.PartnerToken })
        {
            Assert.DoesNotContain(secret, pipeline, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.All, StringComparison.Ordinal);
        }

        var secrets = await File.ReadAllLinesAsync(Path.Combine(_folder, ".mybi", "secrets.env"));
        Assert.Contains($"SALON_USER_TOKEN={SandboxCredentials.UserToken}", secrets);
        Assert.Contains($"SALON_PARTNER_TOKEN={SandboxCredentials.PartnerToken}", secrets);
        Assert.DoesNotContain(secrets, l => l.Contains(SandboxCredentials.Password, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, ".mybi", "secrets.env")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_folder, ".mybi")));
        }

        Assert.Contains("next: mybi sync salon.yaml", result.Stdout, StringComparison.Ordinal);

        var validate = await CliProcess.RunAsync(_folder, null, "validate", "salon.yaml");
        Assert.True(validate.ExitCode == 0, validate.ToString());

        var day = _server.Data.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sync = await CliProcess.RunAsync(_folder, null, "sync", "salon.yaml", "--from", day, "--to", day, "--streams", "staff");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var query = await CliProcess.RunAsync(_folder, null, "query", "salon.yaml", "select count(*) as n, min(company_id) as c from staff", "--json");
        Assert.True(query.ExitCode == 0, query.ToString());
        var row = System.Text.Json.JsonDocument.Parse(query.Stdout).RootElement[0];
        Assert.Equal(_server.Data.Staff(long.Parse(company, CultureInfo.InvariantCulture)).Count, row.GetProperty("n").GetInt64());
        Assert.Equal(long.Parse(company, CultureInfo.InvariantCulture), row.GetProperty("c").GetInt64());
    }

    [Fact]
    public async Task Connect_TwoFactorAccountWithCode_WritesItsToken()
    {
        var result = await ConnectAsync(
            "yclients", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.TwoFactorLogin, "--password", SandboxCredentials.Password, "--code", SandboxCredentials.TwoFactorCode,
            "--company", _server.Data.AccessibleCompanies[0].Id.ToString(CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 0, result.ToString());
        var written = Assert.Single(Directory.GetFiles(_folder, "*.yaml"));
        Assert.Equal($"yclients-{_server.Data.AccessibleCompanies[0].Id}.yaml", Path.GetFileName(written));
        Assert.Contains($"YCLIENTS_{_server.Data.AccessibleCompanies[0].Id}_USER_TOKEN={SandboxCredentials.TwoFactorUserToken}", await File.ReadAllLinesAsync(Path.Combine(_folder, ".mybi", "secrets.env")));
    }

    [Fact]
    public async Task Connect_MissingPasswordWithoutTerminal_ConfigNamingOptionAndVariable()
    {
        var result = await ConnectAsync(
            "yclients", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken, "--login", SandboxCredentials.Login);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing --password (or MYBI_CONNECT_PASSWORD)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxCredentials.PartnerToken, result.All, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Connect_WrongPassword_OneLineWithoutThePasswordAndNothingWritten()
    {
        var result = await ConnectAsync(
            "yclients", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.Login, "--password", "Not-The-Password-77");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: YCLIENTS refused the login or password for {SandboxCredentials.Login}", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Password-77", result.All, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Connect_ExistingFile_RefusedUnlessForced()
    {
        var path = Path.Combine(_folder, "salon.yaml");
        await File.WriteAllTextAsync(path, "# mine\n");
        string[] args =
        [
            "yclients", "--out", "salon.yaml", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.Login, "--password", SandboxCredentials.Password,
            "--company", _server.Data.AccessibleCompanies[0].Id.ToString(CultureInfo.InvariantCulture),
        ];
        var authBefore = _server.Stats.RequestsFor("/auth");

        var refused = await ConnectAsync(args);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("salon.yaml already exists", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("# mine\n", await File.ReadAllTextAsync(path));
        Assert.Equal(authBefore, _server.Stats.RequestsFor("/auth"));

        var forced = await ConnectAsync([.. args, "--force"]);

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("${SALON_USER_TOKEN}", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public async Task Connect_EachDestinationTheHostShips_WritesAFileThatValidates(string destination)
    {
        const string connection = "Host=127.0.0.1;Port=9;Username=loader;Password=Dest-Secret-8841";
        var company = _server.Data.AccessibleCompanies[0].Id.ToString(CultureInfo.InvariantCulture);
        string[] args =
        [
            "yclients", "--out", $"{destination}.yaml", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.Login, "--password", SandboxCredentials.Password, "--company", company, "--destination", destination,
        ];

        var result = await ConnectAsync(destination == "duckdb" ? args : [.. args, "--destination-connection", connection]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var pipeline = await File.ReadAllTextAsync(Path.Combine(_folder, $"{destination}.yaml"));
        Assert.Contains($"  type: {destination}", pipeline, StringComparison.Ordinal);
        var prefix = destination.ToUpperInvariant();
        Assert.Contains($"user_token: ${{{prefix}_USER_TOKEN}}", pipeline, StringComparison.Ordinal);
        Assert.DoesNotContain("Dest-Secret-8841", pipeline + result.All, StringComparison.Ordinal);
        var secrets = await File.ReadAllLinesAsync(Path.Combine(_folder, ".mybi", "secrets.env"));
        if (destination == "duckdb")
        {
            Assert.Contains("  path: duckdb.duckdb", pipeline, StringComparison.Ordinal);
            Assert.DoesNotContain(secrets, l => l.Contains("_DESTINATION_CONNECTION=", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains($"  connection: ${{{prefix}_DESTINATION_CONNECTION}}", pipeline, StringComparison.Ordinal);
            Assert.Contains($"{prefix}_DESTINATION_CONNECTION={connection}", secrets);
        }

        var validate = await CliProcess.RunAsync(_folder, null, "validate", $"{destination}.yaml");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains($"(yclients -> {destination}, 14 streams)", validate.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ServerDestinationWithoutConnection_ConfigNamingOptionAndNothingWritten()
    {
        var result = await ConnectAsync(
            "yclients", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.Login, "--password", SandboxCredentials.Password,
            "--company", _server.Data.AccessibleCompanies[0].Id.ToString(CultureInfo.InvariantCulture), "--destination", "postgres");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing --destination-connection (or MYBI_CONNECT_DESTINATION_CONNECTION)", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Connect_DestinationTheHostDoesNotShip_ConfigListingTheShippedOnes()
    {
        var result = await ConnectAsync(
            "yclients", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.Login, "--password", SandboxCredentials.Password,
            "--company", _server.Data.AccessibleCompanies[0].Id.ToString(CultureInfo.InvariantCulture), "--destination", "bigquery");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--destination bigquery is not one of: duckdb; postgres; clickhouse", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    /// <summary>
    /// Two pipelines connected in one folder as users with different rights keep their own tokens, each selects only
    /// what its user may read, and both still sync.
    /// </summary>
    [Fact]
    public async Task Connect_TwoUsersInOneFolder_EachKeepsItsTokenAndBothSync()
    {
        var company = _server.Data.AccessibleCompanies[0].Id.ToString(CultureInfo.InvariantCulture);
        string[] common = ["yclients", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken, "--password", SandboxCredentials.Password, "--company", company];

        var owner = await ConnectAsync([.. common, "--out", "owner.yaml", "--login", SandboxCredentials.Login, "--history-days", "3"]);
        var limited = await ConnectAsync([.. common, "--out", "limited.yaml", "--login", SandboxCredentials.LimitedLogin]);

        Assert.True(owner.ExitCode == 0, owner.ToString());
        Assert.True(limited.ExitCode == 0, limited.ToString());
        var secrets = await File.ReadAllLinesAsync(Path.Combine(_folder, ".mybi", "secrets.env"));
        Assert.Contains($"OWNER_USER_TOKEN={SandboxCredentials.UserToken}", secrets);
        Assert.Contains($"LIMITED_USER_TOKEN={SandboxCredentials.LimitedUserToken}", secrets);
        var ownerFile = await File.ReadAllTextAsync(Path.Combine(_folder, "owner.yaml"));
        var limitedFile = await File.ReadAllTextAsync(Path.Combine(_folder, "limited.yaml"));
        Assert.Contains("first_run_days: 3", ownerFile, StringComparison.Ordinal);
        Assert.Contains("first_run_days: 30", limitedFile, StringComparison.Ordinal);
        Assert.Contains("- records", ownerFile, StringComparison.Ordinal);
        // The limited user may not read records or finance: those streams are left out rather than failing every run.
        Assert.DoesNotContain("- records", limitedFile, StringComparison.Ordinal);
        Assert.DoesNotContain("- finance_transactions", limitedFile, StringComparison.Ordinal);
        Assert.Contains("- clients", limitedFile, StringComparison.Ordinal);
        Assert.Contains("records, record_services, record_goods, visits, finance_transactions, documents", limited.Stderr, StringComparison.Ordinal);

        var day = _server.Data.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var pipeline in new[] { "owner.yaml", "limited.yaml" })
        {
            var sync = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", day, "--to", day);
            Assert.True(sync.ExitCode == 0, pipeline + ": " + sync);
        }

        var clients = await CliProcess.RunAsync(_folder, null, "query", "limited.yaml", "select count(*) as n from clients", "--json");
        Assert.True(clients.ExitCode == 0, clients.ToString());
        Assert.True(System.Text.Json.JsonDocument.Parse(clients.Stdout).RootElement[0].GetProperty("n").GetInt64() > 0, clients.Stdout);
        var records = await CliProcess.RunAsync(_folder, null, "query", "owner.yaml", "select count(*) as n from records", "--json");
        Assert.True(records.ExitCode == 0, records.ToString());
    }

    [Fact]
    public async Task Connect_SeveralBranches_WritesCompanyIds()
    {
        var ids = _server.Data.AccessibleCompanies.Take(2).Select(c => c.Id.ToString(CultureInfo.InvariantCulture)).ToList();

        var result = await ConnectAsync(
            "yclients", "--out", "chain.yaml", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.Login, "--password", SandboxCredentials.Password, "--company", string.Join(',', ids));

        Assert.True(result.ExitCode == 0, result.ToString());
        var pipeline = await File.ReadAllTextAsync(Path.Combine(_folder, "chain.yaml"));
        Assert.Contains(ids[0], pipeline, StringComparison.Ordinal);
        Assert.Contains(ids[1], pipeline, StringComparison.Ordinal);
        Assert.Contains("company_ids:", pipeline, StringComparison.Ordinal);
        var validate = await CliProcess.RunAsync(_folder, null, "validate", "chain.yaml");
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task Connect_LoadNow_RunsTheFirstLoad()
    {
        var result = await ConnectAsync(
            "yclients", "--out", "now.yaml", "--base-url", _server.BaseUrl.AbsoluteUri, "--partner-token", SandboxCredentials.PartnerToken,
            "--login", SandboxCredentials.Login, "--password", SandboxCredentials.Password,
            "--company", _server.Data.AccessibleCompanies[0].Id.ToString(CultureInfo.InvariantCulture), "--history-days", "2", "--load-now", "yes");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("loading now: mybi sync now.yaml", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(": succeeded, run ", result.Stdout, StringComparison.Ordinal);
        var status = await CliProcess.RunAsync(_folder, null, "status", "now.yaml");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("succeeded", status.Stdout, StringComparison.Ordinal);
    }
}
