using System.Globalization;
using ClickHouse.Driver;
using DuckDB.NET.Data;
using MyBi.Connectors.YClients.Sandbox;
using Npgsql;

namespace MyBi.Cli.Tests;

/// <summary>
/// <c>datetime_local</c> is a wall clock without a zone in every destination: its hour and day are the company's,
/// read in a session whose own zone is New York; and a warehouse whose column an earlier version created as an
/// instant (the reading at UTC+00:00) is converted in place by the next sync, keeping the readings it holds.
/// </summary>
public sealed partial class LocalNumbersTests
{
    private const string ForeignZone = "America/New_York";

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public async Task DatetimeLocal_IsZoneLess_AndGivesTheLocalHourAndDayInAForeignSessionZone(string destination)
    {
        var companies = Companies();
        var pipeline = _pipelines.WriteTo(destination + "-wall", Config(companies), "[records]", _warehouses.Destination(destination));

        var run = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Equal(ZoneLessType(destination), await ColumnTypeAsync(destination));
        await AssertLocalHoursAndDaysAsync(destination, companies);
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("clickhouse")]
    public async Task DatetimeLocal_CreatedByAnEarlierVersionAsAnInstant_IsConvertedInPlaceKeepingTheReadings(string destination)
    {
        var companies = Companies();
        var pipeline = _pipelines.WriteTo(destination + "-old", Config(companies), Streams, _warehouses.Destination(destination));
        var first = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_from), "--to", D(s_to));
        Assert.True(first.ExitCode == 0, first.ToString());
        await MakeEarlierShapeAsync(destination);

        // The second sync rewrites only the last day: the other days keep the readings the conversion carried over.
        var second = await CliProcess.RunAsync(_folder, null, "sync", pipeline, "--from", D(s_to), "--to", D(s_to));
        Assert.True(second.ExitCode == 0, second.ToString());

        Assert.Equal(ZoneLessType(destination), await ColumnTypeAsync(destination));
        await AssertLocalHoursAndDaysAsync(destination, companies);
        var revenue = await _pipelines.QueryAsync(pipeline, "select company_id, date_local, revenue from v_revenue_daily order by company_id, date_local", limit: 10_000);
        Assert.Equal(
            companies.SelectMany(Truth).Where(t => t.Revenue != 0).Select(t => (t.Company, t.Day, t.Revenue)),
            revenue.EnumerateArray().Select(r => (Long(r, "company_id"), Day(r, "date_local"), Decimal(r, "revenue"))).Where(r => r.Item3 != 0));
        if (destination == "postgres")
        {
            // A view of the user's over the column, and one over that, are still there with their comment.
            await using var connection = await OpenPostgresAsync();
            Assert.Equal(
                "late visits",
                await ScalarAsync(connection, "select obj_description('my_late_visits'::regclass, 'pg_class')"));
            Assert.True(Convert.ToInt64(await ScalarAsync(connection, "select count(*) from my_late_visits_count"), CultureInfo.InvariantCulture) > 0);

            // A BI tool's role keeps reading the views it was granted.
            Assert.Equal(true, await ScalarAsync(connection, $"select has_table_privilege('{Reader}', 'my_late_visits', 'SELECT') and has_table_privilege('{Reader}', 'v_revenue_daily', 'SELECT')"));
            await ExecuteAsync(connection, $"drop owned by {Reader}; drop role {Reader}");
        }
    }

    private string Reader => _warehouses.Unique + "_reader";

    private static string ZoneLessType(string destination) => destination switch
    {
        "postgres" => "timestamp without time zone",
        "clickhouse" => "Nullable(DateTime64(3, 'UTC'))",
        _ => "TIMESTAMP",
    };

    /// <summary>For every record of the period, the hour and day of datetime_local read in New York time equal those of the company's clock.</summary>
    private async Task AssertLocalHoursAndDaysAsync(string destination, IReadOnlyList<SandboxCompany> companies)
    {
        var actual = await LocalHoursAndDaysAsync(destination);
        var expected = companies
            .SelectMany(c => _server.Data.Records(c.Id).Where(InPeriod))
            .OrderBy(r => r.Id)
            .Select(r => (r.Id, r.Datetime.Hour, DateOnly.FromDateTime(r.Datetime.DateTime)))
            .ToList();
        Assert.Contains(expected, e => e.Hour == 23);
        Assert.Equal(expected, actual);
    }

    private async Task<List<(long Id, int Hour, DateOnly Day)>> LocalHoursAndDaysAsync(string destination)
    {
        var rows = new List<(long, int, DateOnly)>();
        switch (destination)
        {
            case "postgres":
            {
                await using var connection = await OpenPostgresAsync();
                await using var command = new NpgsqlCommand(
                    $"SET TimeZone = '{ForeignZone}'; select id, extract(hour from datetime_local)::int, datetime_local::date from records order by id", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<DateOnly>(2)));
                }

                break;
            }

            case "clickhouse":
            {
                using var client = new ClickHouseClient(TestWarehouses.Required("MYBI_TEST_CLICKHOUSE", "clickhouse"));
                var text = (string)(await client.ExecuteScalarAsync(
                    "select arrayStringConcat(groupArray(line), ';') from (" +
                    "select concat(toString(id), ',', toString(toHour(datetime_local)), ',', toString(toDate(datetime_local))) as line " +
                    $"from `{_warehouses.Unique}`.records final order by id) settings session_timezone = '{ForeignZone}'",
                    null!,
                    null!,
                    default))!;
                foreach (var line in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Split(',');
                    rows.Add((long.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), DateOnly.ParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture)));
                }

                break;
            }

            default:
            {
                using var connection = OpenDuckDb();
                using var command = connection.CreateCommand();
                command.CommandText = $"SET TimeZone = '{ForeignZone}'; select id, hour(datetime_local), cast(datetime_local as date) from records order by id";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetFieldValue<DateOnly>(2)));
                }

                break;
            }
        }

        return rows;
    }

    private async Task<string> ColumnTypeAsync(string destination)
    {
        switch (destination)
        {
            case "postgres":
            {
                await using var connection = await OpenPostgresAsync();
                return (string)(await ScalarAsync(connection, $"select data_type from information_schema.columns where table_schema = '{_warehouses.Unique}' and table_name = 'records' and column_name = 'datetime_local'"))!;
            }

            case "clickhouse":
            {
                using var client = new ClickHouseClient(TestWarehouses.Required("MYBI_TEST_CLICKHOUSE", "clickhouse"));
                return (string)(await client.ExecuteScalarAsync($"select type from system.columns where database = '{_warehouses.Unique}' and table = 'records' and name = 'datetime_local'", null!, null!, default))!;
            }

            default:
            {
                using var connection = OpenDuckDb();
                using var command = connection.CreateCommand();
                command.CommandText = "select data_type from duckdb_columns() where table_name = 'records' and column_name = 'datetime_local'";
                return (string)command.ExecuteScalar()!;
            }
        }
    }

    /// <summary>
    /// Turns datetime_local back into what earlier versions created: an instant holding the clock reading at
    /// UTC+00:00, with the analysis views (and in PostgreSQL two views of the user's) reading it.
    /// </summary>
    private async Task MakeEarlierShapeAsync(string destination)
    {
        switch (destination)
        {
            case "postgres":
            {
                await using var connection = await OpenPostgresAsync();
                var views = new List<(string Name, string Definition)>();
                await using (var command = new NpgsqlCommand($"select c.relname, pg_get_viewdef(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '{_warehouses.Unique}' and c.relkind = 'v'", connection))
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        views.Add((reader.GetString(0), reader.GetString(1)));
                    }
                }

                Assert.Contains(views, v => v.Name == "v_revenue_daily");
                await ExecuteAsync(connection, $"drop view {string.Join(", ", views.Select(v => v.Name))} cascade");
                await ExecuteAsync(connection, "alter table records alter column datetime_local type timestamp with time zone using datetime_local at time zone 'UTC'");

                // The views over other views come after them: each pass creates those whose sources exist.
                for (var pass = 0; views.Count > 0 && pass < 5; pass++)
                {
                    foreach (var view in views.ToList())
                    {
                        try
                        {
                            await ExecuteAsync(connection, $"create view {view.Name} as {view.Definition}");
                            views.Remove(view);
                        }
                        catch (PostgresException)
                        {
                        }
                    }
                }

                Assert.Empty(views);
                await ExecuteAsync(connection, "create view my_late_visits as select id, datetime_local from records where extract(hour from datetime_local) = 23");
                await ExecuteAsync(connection, "comment on view my_late_visits is 'late visits'");
                await ExecuteAsync(connection, "create view my_late_visits_count as select count(*) as visits from my_late_visits");
                await ExecuteAsync(connection, $"create role {Reader} nologin");
                await ExecuteAsync(connection, $"grant select on my_late_visits, v_revenue_daily to {Reader}");
                Assert.Equal("timestamp with time zone", await ColumnTypeAsync(destination));
                break;
            }

            case "clickhouse":
                // ClickHouse has no zone-less type: earlier versions already kept the reading in DateTime64(3, 'UTC'),
                // which is the type now too, so there is nothing to convert.
                Assert.Equal(ZoneLessType(destination), await ColumnTypeAsync(destination));
                break;

            default:
            {
                using (var connection = OpenDuckDb())
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = "alter table records alter column datetime_local set data type timestamptz using timezone('UTC', datetime_local)";
                    command.ExecuteNonQuery();
                }

                Assert.Equal("TIMESTAMP WITH TIME ZONE", await ColumnTypeAsync(destination));
                break;
            }
        }
    }

    private DuckDBConnection OpenDuckDb()
    {
        var connection = new DuckDBConnection($"Data Source={Path.Combine(_folder, _warehouses.Unique + ".duckdb")}");
        connection.Open();
        return connection;
    }

    private async Task<NpgsqlConnection> OpenPostgresAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestWarehouses.Required("MYBI_TEST_POSTGRES", "postgres")) { SearchPath = _warehouses.Unique };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
