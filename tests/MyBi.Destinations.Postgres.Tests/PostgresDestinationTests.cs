using System.Net;
using System.Net.Sockets;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.Postgres.Tests;

/// <summary>PostgreSQL-specific behaviour: connection errors, credentials, quoting, transactions, DDL.</summary>
public sealed class PostgresDestinationTests : IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.UniqueName("mybi_pg");
    private PostgresDestination? _destination;

    private PostgresDestination Destination => _destination!;

    public Task InitializeAsync()
    {
        _destination = Create(PostgresTestServer.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_destination is not null)
        {
            await _destination.DisposeAsync();
        }

        await PostgresTestServer.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task CheckAsync_ServerDown_FailsAsTransientNamingHostAndPortInOneLine()
    {
        var port = FreePort();
        await using var destination = Create(PostgresTestServer.With(b =>
        {
            b.Host = "127.0.0.1";
            b.Port = port;
        }));

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.CheckAsync().AsTask());

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task CheckAsync_ServerThatNeverAnswers_GivesUpAfterCheckTimeoutAsTransient()
    {
        // The kernel completes the TCP handshake for the listener's backlog, but nothing ever answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var destination = new PostgresDestination(new PostgresDestinationOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=60",
            CheckTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.CheckAsync().AsTask());

        Assert.True(error.Kind == FailureKind.Transient, error.ToString());
        Assert.Contains($"127.0.0.1:{port} did not answer within 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WrongPassword_ConfigNamingUserWithoutThePassword()
    {
        const string password = "not-the-password-Zq81";
        var connection = PostgresTestServer.With(b =>
        {
            b.Username = PostgresTestServer.PasswordRole;
            b.Password = password;
        });
        await using var destination = Create(connection);

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.CheckAsync().AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains($"refused the credentials for user '{PostgresTestServer.PasswordRole}'", error.Message, StringComparison.Ordinal);
        var builder = PostgresTestServer.Builder();
        Assert.Contains($"{builder.Host}:{builder.Port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.Detail ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, destination.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_RightPasswordButNoCreateRight_ConfigNamingSchema()
    {
        await using var destination = Create(PostgresTestServer.With(b =>
        {
            b.Username = PostgresTestServer.PasswordRole;
            b.Password = PostgresTestServer.PasswordRoleSecret;
        }));

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.CheckAsync().AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains($"may not create tables in schema {_schema}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresTestServer.PasswordRoleSecret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_UnknownDatabase_ConfigNamingTheDatabase()
    {
        await using var destination = Create(PostgresTestServer.With(b => b.Database = "mybi_no_such_database"));

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.CheckAsync().AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("no database 'mybi_no_such_database'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ReachableServer_SucceedsBeforeTheSchemaExists()
    {
        await Destination.CheckAsync();

        Assert.False(await Destination.TableExistsAsync("anything"));
    }

    [Fact]
    public async Task Identifiers_SqlInjectionShapedNames_AreStoredLiterallyAndHarmNothing()
    {
        var victim = new TableSchema("victim", [new ColumnSchema("id", ColumnType.Int64)], ["id"]);
        await Destination.EnsureTableAsync(victim);
        await Destination.WriteAsync(new RecordBatch(victim, [[1L], [2L]]), WriteMode.Merge);
        const string table = "t\"; DROP TABLE victim; --";
        var schema = new TableSchema(
            table,
            [
                new ColumnSchema("id\"); DELETE FROM victim; --", ColumnType.Int64),
                new ColumnSchema("a\"b", ColumnType.String),
                new ColumnSchema("x' OR '1'='1", ColumnType.Json),
            ],
            ["id\"); DELETE FROM victim; --"]);

        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, "'; DROP TABLE victim; --", "{\"q\":\"'\\\"\"}"]]), WriteMode.Merge);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, "second", "[]"]]), WriteMode.Merge);
        await Destination.WriteAsync(new RecordBatch(schema, [[2L, null, null]]), WriteMode.Merge);

        Assert.True(await Destination.TableExistsAsync(table));
        var rows = await ReadAllAsync(schema);
        Assert.Equal([1L, 2L], rows.Select(r => (long)r[0]!).Order());
        Assert.Equal("second", rows.Single(r => (long)r[0]! == 1)[1]);
        Assert.Equal(2, (await ReadAllAsync(victim)).Count);
        var names = await Destination.QueryAsync(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 't\"; DROP TABLE victim; --' ORDER BY ordinal_position",
            10);
        Assert.Equal(schema.Columns.Select(c => c.Name), names.Rows.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task WriteAsync_MergeBatchFailingMidway_LeavesTableUnchanged()
    {
        var schema = AmountSchema("atomic");
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, 10m], [2L, 20m]]), WriteMode.Merge);

        // The key of the third row is missing: PostgreSQL refuses it while the first rows are already copied.
        object?[][] batch = [[1L, 11m], [3L, 30m], [null, 40m], [4L, 50m]];
        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Merge).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("atomic", error.Message, StringComparison.Ordinal);
        Assert.Equal([(1L, 10m), (2L, 20m)], await ReadAmountsAsync(schema));
    }

    [Fact]
    public async Task WriteAsync_MergeStepFailingAfterCopy_RollsBackTheWholeBatch()
    {
        var schema = AmountSchema("checked");
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, 10m], [2L, 20m]]), WriteMode.Merge);
        // The staging table copies no CHECK constraint, so this one fails in the upsert, after the COPY succeeded.
        await PostgresTestServer.AdminAsync($"ALTER TABLE \"{_schema}\".\"checked\" ADD CONSTRAINT amount_positive CHECK (amount >= 0)");

        object?[][] batch = [[1L, 11m], [3L, 30m], [2L, -1m], [4L, 40m]];
        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Merge).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("amount_positive", error.Message, StringComparison.Ordinal);
        Assert.Equal([(1L, 10m), (2L, 20m)], await ReadAmountsAsync(schema));
    }

    [Fact]
    public async Task WriteAsync_ValueOfWrongClrType_SystemErrorNamingColumnAndTableUnchanged()
    {
        var schema = AmountSchema("typed_values");
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, 10m]]), WriteMode.Merge);

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => Destination.WriteAsync(new RecordBatch(schema, [[1L, 12m], [2L, 20.5]]), WriteMode.Merge).AsTask());

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("'amount'", error.Message, StringComparison.Ordinal);
        Assert.Equal([(1L, 10m)], await ReadAmountsAsync(schema));
    }

    [Fact]
    public async Task WriteAsync_AppendBatchFailingMidway_LeavesTableUnchanged()
    {
        var schema = new TableSchema("log", [new ColumnSchema("at", ColumnType.Date, nullable: false), new ColumnSchema("n", ColumnType.Int64)], []);
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[new DateOnly(2024, 1, 1), 1L]]), WriteMode.Append);

        await Assert.ThrowsAsync<MyBiException>(() => Destination.WriteAsync(
            new RecordBatch(schema, [[new DateOnly(2024, 1, 2), 2L], [null, 3L]]), WriteMode.Append).AsTask());

        var rows = await ReadAllAsync(schema);
        var row = Assert.Single(rows);
        Assert.Equal(1L, row[1]);
    }

    [Fact]
    public async Task WriteAsync_MergeWithoutPrimaryKey_IsRefusedAsConfig()
    {
        var schema = new TableSchema("keyless", [new ColumnSchema("n", ColumnType.Int64)], []);
        await Destination.EnsureTableAsync(schema);

        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.WriteAsync(new RecordBatch(schema, [[1L]]), WriteMode.Merge).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("keyless", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_ValueShapedLikeSql_IsComparedAsAValue()
    {
        var schema = new TableSchema("notes", [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("text", ColumnType.String)], ["id"]);
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, "x' OR '1'='1"], [2L, "keep"]]), WriteMode.Merge);

        var deleted = await Destination.DeleteAsync(schema, [new RowCondition("text", ConditionOperator.Equal, "x' OR '1'='1")]);

        Assert.Equal(1, deleted);
        var row = Assert.Single(await ReadAllAsync(schema));
        Assert.Equal("keep", row[1]);
    }

    [Fact]
    public async Task DeleteAsync_TableNeverCreated_DeletesNothing()
    {
        var deleted = await Destination.DeleteAsync(AmountSchema("never_created"), [new RowCondition("id", ConditionOperator.Less, 10L)]);

        Assert.Equal(0, deleted);
    }

    [Fact]
    public async Task EnsureTableAsync_NewTable_UsesTheDocumentedPostgresTypesAndPrimaryKey()
    {
        var schema = new TableSchema(
            "typed",
            [
                new ColumnSchema("id", ColumnType.Int64),
                new ColumnSchema("s", ColumnType.String) { Description = "Имя 'клиента'" },
                new ColumnSchema("m", ColumnType.Decimal),
                new ColumnSchema("d", ColumnType.Double),
                new ColumnSchema("b", ColumnType.Boolean),
                new ColumnSchema("t", ColumnType.Timestamp),
                new ColumnSchema("day", ColumnType.Date),
                new ColumnSchema("j", ColumnType.Json),
            ],
            ["id"])
        {
            Description = "Typed table",
        };

        await Destination.EnsureTableAsync(schema);

        var types = await Destination.QueryAsync(
            "SELECT column_name, format_type(atttypid, atttypmod), attnotnull FROM information_schema.columns c " +
            "JOIN pg_attribute a ON a.attrelid = 'typed'::regclass AND a.attname = c.column_name " +
            "WHERE c.table_schema = current_schema() AND c.table_name = 'typed' ORDER BY ordinal_position",
            20);
        Assert.Equal(
            ["id bigint True", "s text False", "m numeric(18,4) False", "d double precision False", "b boolean False",
             "t timestamp with time zone False", "day date False", "j jsonb False"],
            types.Rows.Select(r => $"{r[0]} {r[1]} {r[2]}"));
        Assert.Equal("Имя 'клиента'", (await Destination.QueryAsync("SELECT col_description('typed'::regclass, 2)", 1)).Rows[0][0]);
        Assert.Equal("Typed table", (await Destination.QueryAsync("SELECT obj_description('typed'::regclass, 'pg_class')", 1)).Rows[0][0]);
        var key = await Destination.QueryAsync(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'typed'::regclass AND contype = 'p'", 1);
        Assert.Equal("PRIMARY KEY (id)", key.Rows[0][0]);
    }

    [Fact]
    public async Task EnsureTableAsync_JsonAndTextColumns_CompressWithLz4WhereTheServerHasIt()
    {
        var lz4 = (await Destination.QueryAsync(
            "SELECT coalesce(bool_or('lz4' = ANY (enumvals)), false) FROM pg_settings WHERE name = 'default_toast_compression'", 1)).Rows[0][0] is true;
        var first = new TableSchema("packed", [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("j", ColumnType.Json)], ["id"]);
        await Destination.EnsureTableAsync(first);
        await Destination.EnsureTableAsync(new TableSchema("packed", [.. first.Columns, new ColumnSchema("s", ColumnType.String)], ["id"]));
        await Destination.WriteAsync(new RecordBatch(first, [[1L, "{\"services\": [" + string.Join(", ", Enumerable.Repeat("{\"title\": \"Стрижка\"}", 400)) + "]}"]]), WriteMode.Append);

        var methods = await Destination.QueryAsync(
            "SELECT attname, attcompression::text FROM pg_attribute WHERE attrelid = 'packed'::regclass AND attnum > 0 ORDER BY attnum", 10);
        var expected = lz4 ? "l" : "";
        Assert.Equal(["id ", $"j {expected}", $"s {expected}"], methods.Rows.Select(r => $"{r[0]} {r[1]}"));
        var stored = await Destination.QueryAsync("SELECT coalesce(pg_column_compression(j), '') FROM packed", 1);
        Assert.Equal(lz4 ? "lz4" : "pglz", stored.Rows[0][0]);
    }

    [Fact]
    public async Task VerbatimJsonColumn_StoredAsJson_KeepsTheTextAsWritten_AndMergesComparingThatText()
    {
        var schema = RawSchema("raw", verbatim: true);
        const string body = "{ \"z\": 1,  \"a\": [ 2 ], \"z\": \"again\" }";
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, body, 7L]]), WriteMode.Append);

        Assert.Equal("json", await BodyTypeAsync("raw"));
        Assert.Equal(body, (await Destination.QueryAsync("SELECT body::text FROM raw", 1)).Rows[0][0]);
        Assert.Equal("again", (await Destination.QueryAsync("SELECT body->>'z' FROM raw", 1)).Rows[0][0]);

        // The same row again changes nothing (no new row version); a changed text or another column is an update.
        var version = (await Destination.QueryAsync("SELECT xmin::text FROM raw", 1)).Rows[0][0];
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, body, 7L], [2L, "[]", 8L]]), WriteMode.Merge);
        Assert.Equal(version, (await Destination.QueryAsync("SELECT xmin::text FROM raw WHERE id = 1", 1)).Rows[0][0]);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, "{\"z\":1}", 7L], [2L, "[]", 9L]]), WriteMode.Merge);
        var rows = await Destination.QueryAsync("SELECT id, body::text, n FROM raw ORDER BY id", 10);
        Assert.Equal(["1 {\"z\":1} 7", "2 [] 9"], rows.Rows.Select(r => $"{r[0]} {r[1]} {r[2]}"));
    }

    [Theory]
    [InlineData(WriteMode.Append)]
    [InlineData(WriteMode.Merge)]
    public async Task WriteAsync_TextAndJsonWithU0000_StoredWithTheReplacementCharacter_VerbatimKeptAsWritten(WriteMode mode)
    {
        // PostgreSQL text and jsonb refuse U+0000; one such value in an API answer or a webhook used to fail its batch.
        var schema = new TableSchema(
            "nul",
            [
                new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("s", ColumnType.String), new ColumnSchema("j", ColumnType.Json),
                new ColumnSchema("raw", ColumnType.Json) { Verbatim = true },
            ],
            ["id"]);
        const string json = "{\"a\": \"x\\u0000y\", \"b\": \"\\\\u0000\"}";
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, [[1L, "a\0b", json, json]]), mode);

        var row = (await Destination.QueryAsync("SELECT s, j->>'a', j->>'b', raw::text FROM nul", 1)).Rows[0];
        Assert.Equal("a\uFFFDb", row[0]);
        Assert.Equal("x\uFFFDy", row[1]);
        Assert.Equal("\\u0000", row[2]);
        Assert.Equal(json, row[3]);
    }

    [Theory]
    [InlineData(WriteMode.Append)]
    [InlineData(WriteMode.Merge)]
    public async Task WriteAsync_LoneSurrogates_StoredAsTheReplacementCharacter_WholePairsKept(WriteMode mode)
    {
        // A rule's script can make a lone surrogate, which the driver refused to encode (an EncoderFallbackException,
        // not even a typed error); jsonb refuses its escape. Either failed the batch at every retry.
        var table = "lone_" + mode.ToString().ToLowerInvariant();
        var schema = new TableSchema(
            table,
            [
                new ColumnSchema("key", ColumnType.String), new ColumnSchema("s", ColumnType.String), new ColumnSchema("j", ColumnType.Json),
                new ColumnSchema("raw", ColumnType.Json) { Verbatim = true },
            ],
            ["key"]);
        const string json = "{\"a\": \"x\\ud800y\", \"b\": \"\\udc00\", \"c\": \"\\ud83d\\ude00\", \"d\": \"\\\\ud800\", \"e\": \"\uD800\"}";
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, [["k\uDC00", "a\uD800b\U0001F600", json, json]]), mode);
        if (mode == WriteMode.Merge)
        {
            await Destination.WriteAsync(new RecordBatch(schema, [["k\uDC00", "again\uD800", json, json]]), mode);
        }

        var rows = (await Destination.QueryAsync($"SELECT key, s, j->>'a', j->>'b', j->>'c', j->>'d', j->>'e', raw::text FROM {table}", 2)).Rows;
        var row = Assert.Single(rows);
        Assert.Equal("k\uFFFD", row[0]);
        Assert.Equal(mode == WriteMode.Merge ? "again\uFFFD" : "a\uFFFDb\U0001F600", row[1]);
        Assert.Equal(["x\uFFFDy", "\uFFFD", "\U0001F600", "\\ud800", "\uFFFD"], row[2..7]);
        Assert.Equal(json.Replace('\uD800', '\uFFFD'), row[7]);
    }

    [Fact]
    public async Task EnsureTableAsync_VerbatimColumnAnEarlierVersionMadeJsonb_ConvertedToJsonKeepingValuesAndViews()
    {
        await EarlierJsonbReadByAViewAsync("raw_earlier", "raw_view AS SELECT id, body->>'a' AS a FROM raw_earlier");

        var now = RawSchema("raw_earlier", verbatim: true);
        await Destination.EnsureTableAsync(now);
        await Destination.WriteAsync(new RecordBatch(now, [[2L, "{\"a\":  \"y\"}", 8L]]), WriteMode.Merge);

        Assert.Equal("json", await BodyTypeAsync("raw_earlier"));
        var rows = await Destination.QueryAsync("SELECT id, body::text FROM raw_earlier ORDER BY id", 10);
        Assert.Equal(["1 {\"a\": \"x\"}", "2 {\"a\":  \"y\"}"], rows.Rows.Select(r => $"{r[0]} {r[1]}"));
        var view = await Destination.QueryAsync("SELECT id, a FROM raw_view ORDER BY id", 10);
        Assert.Equal(["1 x", "2 y"], view.Rows.Select(r => $"{r[0]} {r[1]}"));
    }

    [Fact]
    public async Task EnsureTableAsync_EarlierJsonbReadByAViewUsingWhatOnlyJsonbHas_ConfigNamingTheView_NothingChanged()
    {
        await EarlierJsonbReadByAViewAsync("raw_contained", "contained AS SELECT id FROM raw_contained WHERE body @> '{\"a\": \"x\"}'");

        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.EnsureTableAsync(RawSchema("raw_contained", verbatim: true)).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("contained", error.Message, StringComparison.Ordinal);
        Assert.Contains("to convert to json", error.Message, StringComparison.Ordinal);
        Assert.Equal("jsonb", await BodyTypeAsync("raw_contained"));
        Assert.Equal(1L, (await Destination.QueryAsync("SELECT count(*) FROM contained", 1)).Rows[0][0]);
    }

    [Fact]
    public async Task EnsureTableAsync_DifferentPrimaryKey_ConfigNamingTableAndKeys()
    {
        await Destination.EnsureTableAsync(AmountSchema("rekeyed"));
        var rekeyed = new TableSchema("rekeyed", [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.Decimal)], ["id", "amount"]);

        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.EnsureTableAsync(rekeyed).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("rekeyed", error.Message, StringComparison.Ordinal);
        Assert.Contains("primary key (id)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureTableAsync_NameLongerThanPostgresKeeps_ConfigInsteadOfSilentCut()
    {
        var schema = AmountSchema(new string('я', 40));

        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.EnsureTableAsync(schema).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("63 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT 1; COMMIT; DROP TABLE \"guard\"")]
    [InlineData("COMMIT")]
    [InlineData("SET default_transaction_read_only = off")]
    [InlineData("WITH gone AS (DELETE FROM \"guard\" RETURNING *) SELECT * FROM gone")]
    [InlineData("SELECT * INTO copied FROM \"guard\"")]
    [InlineData("COPY \"guard\" TO STDOUT")]
    [InlineData("/* SELECT */ DELETE FROM \"guard\"")]
    public async Task QueryAsync_StatementsThatCouldWrite_AreRefusedAsConfigAndChangeNothing(string sql)
    {
        var schema = AmountSchema("guard");
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, 10m]]), WriteMode.Merge);

        var error = await Assert.ThrowsAsync<MyBiException>(() => Destination.QueryAsync(sql, 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Equal([(1L, 10m)], await ReadAmountsAsync(schema));
        Assert.False(await Destination.TableExistsAsync("copied"));
    }

    [Theory]
    [InlineData("SELECT ';' AS x", ";")]
    [InlineData("SELECT $q$a;b$q$ AS x;", "a;b")]
    [InlineData("SELECT E'it\\'s;' AS x -- trailing; comment", "it's;")]
    [InlineData("SHOW search_path", null)]
    public async Task QueryAsync_SemicolonsInsideLiteralsOrTrailing_RunAsOneStatement(string sql, string? expected)
    {
        var result = await Destination.QueryAsync(sql, 5);

        var row = Assert.Single(result.Rows);
        if (expected is null)
        {
            Assert.StartsWith(_schema, (string)row[0]!, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, row[0]);
        }
    }

    private PostgresDestination Create(string connectionString) =>
        new(new PostgresDestinationOptions { ConnectionString = connectionString, Schema = _schema });

    /// <summary>A table with a jsonb body and one row, as an earlier version made it, and a view over it ("name AS SELECT …").</summary>
    private async Task EarlierJsonbReadByAViewAsync(string table, string view)
    {
        var earlier = RawSchema(table, verbatim: false);
        await Destination.EnsureTableAsync(earlier);
        await Destination.WriteAsync(new RecordBatch(earlier, [[1L, "{\"a\": \"x\"}", 7L]]), WriteMode.Merge);
        await PostgresTestServer.AdminAsync($"SET search_path = \"{_schema}\"; CREATE VIEW {view}");
    }

    private async Task<object?> BodyTypeAsync(string table) =>
        (await Destination.QueryAsync($"SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' AND column_name = 'body'", 1)).Rows[0][0];

    private static TableSchema RawSchema(string table, bool verbatim) => new(
        table,
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("body", ColumnType.Json) { Verbatim = verbatim }, new ColumnSchema("n", ColumnType.Int64)],
        ["id"]);

    private static TableSchema AmountSchema(string table) => new(
        table,
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.Decimal)],
        ["id"]);

    private async Task<List<object?[]>> ReadAllAsync(TableSchema schema)
    {
        var rows = new List<object?[]>();
        await foreach (var row in Destination.ReadTableAsync(schema))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<List<(long, decimal)>> ReadAmountsAsync(TableSchema schema) =>
        [.. (await ReadAllAsync(schema)).Select(r => ((long)r[0]!, (decimal)r[1]!)).Order()];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
