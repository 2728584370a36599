using MyBi.Abstractions.Records;
using MyBi.Destinations.ClickHouse.Internal;

namespace MyBi.Destinations.ClickHouse.Tests;

public sealed class ClickHouseTableDdlTests
{
    private static readonly TableSchema s_records = new(
        "records",
        [
            new ColumnSchema("id", ColumnType.Int64) { Description = "Visit id" },
            new ColumnSchema("company_id", ColumnType.Int64),
            new ColumnSchema("cost", ColumnType.Decimal),
            new ColumnSchema("share", ColumnType.Double),
            new ColumnSchema("paid", ColumnType.Boolean),
            new ColumnSchema("datetime", ColumnType.Timestamp),
            new ColumnSchema("date", ColumnType.Date),
            new ColumnSchema("client_name", ColumnType.String),
            new ColumnSchema("services", ColumnType.Json),
        ],
        ["company_id", "id"])
    {
        Description = "Visits; it's the main table",
    };

    [Fact]
    public void CreateTable_SingleServer_ReplacingMergeTreeOrderedByKeyWithVersionColumn()
    {
        var statements = new ClickHouseTableDdl("yclients", cluster: null).CreateTable(s_records);

        var sql = Assert.Single(statements);
        Assert.Equal(
            """
            CREATE TABLE IF NOT EXISTS `yclients`.`records`
            (
                `id` Int64 COMMENT 'Visit id',
                `company_id` Int64,
                `cost` Nullable(Decimal(18, 4)),
                `share` Nullable(Float64),
                `paid` Nullable(Bool),
                `datetime` Nullable(DateTime64(3, 'UTC')),
                `date` Nullable(Date32),
                `client_name` Nullable(String),
                `services` Nullable(String),
                `_mybi_version` UInt64 COMMENT 'Load version: of several rows with one key, the highest version is current'
            )
            ENGINE = ReplacingMergeTree(`_mybi_version`)
            ORDER BY (`company_id`, `id`)
            COMMENT 'Visits; it\'s the main table'
            """.ReplaceLineEndings("\n"),
            sql);
    }

    [Fact]
    public void CreateTable_NoPrimaryKey_PlainMergeTreeOrderedByTuple()
    {
        var events = new TableSchema("events", [new ColumnSchema("name", ColumnType.String)], []);

        var sql = Assert.Single(new ClickHouseTableDdl("db", null).CreateTable(events));

        Assert.Contains("ENGINE = MergeTree\nORDER BY tuple()", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("Replacing", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTable_Cluster_ReplicatedLocalTableAndDistributedTableOnCluster()
    {
        var statements = new ClickHouseTableDdl("yclients", "main").CreateTable(s_records);

        Assert.Equal(2, statements.Count);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS `yclients`.`records_local` ON CLUSTER `main`\n(\n    `id` Int64", statements[0], StringComparison.Ordinal);
        Assert.Contains(
            "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', `_mybi_version`)\nORDER BY (`company_id`, `id`)",
            statements[0],
            StringComparison.Ordinal);
        Assert.Equal(
            "CREATE TABLE IF NOT EXISTS `yclients`.`records` ON CLUSTER `main` AS `yclients`.`records_local`\n"
            + "ENGINE = Distributed('main', 'yclients', 'records_local', cityHash64(`company_id`, `id`))",
            statements[1]);
    }

    [Fact]
    public void CreateTable_ClusterWithoutKey_ReplicatedMergeTreeShardedAtRandom()
    {
        var events = new TableSchema("events", [new ColumnSchema("name", ColumnType.String)], []);

        var statements = new ClickHouseTableDdl("db", "c1").CreateTable(events);

        Assert.Contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')\nORDER BY tuple()", statements[0], StringComparison.Ordinal);
        Assert.EndsWith("Distributed('c1', 'db', 'events_local', rand())", statements[1], StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDatabase_SingleAndCluster_IfNotExistsAndOnCluster()
    {
        Assert.Equal("CREATE DATABASE IF NOT EXISTS `yclients`", new ClickHouseTableDdl("yclients", null).CreateDatabase());
        Assert.Equal("CREATE DATABASE IF NOT EXISTS `yclients` ON CLUSTER `main`", new ClickHouseTableDdl("yclients", "main").CreateDatabase());
    }

    [Fact]
    public void AddColumn_NotNullColumn_IsAddedAsNullable()
    {
        var sql = Assert.Single(new ClickHouseTableDdl("db", null).AddColumn("records", new ColumnSchema("amount", ColumnType.Decimal, nullable: false)));

        Assert.Equal("ALTER TABLE `db`.`records` ADD COLUMN IF NOT EXISTS `amount` Nullable(Decimal(18, 4))", sql);
    }

    [Fact]
    public void AddColumn_Cluster_AltersLocalThenDistributedOnCluster()
    {
        var statements = new ClickHouseTableDdl("db", "main").AddColumn("records", new ColumnSchema("note", ColumnType.String) { Description = "Free text" });

        Assert.Equal(
            [
                "ALTER TABLE `db`.`records_local` ON CLUSTER `main` ADD COLUMN IF NOT EXISTS `note` Nullable(String) COMMENT 'Free text'",
                "ALTER TABLE `db`.`records` ON CLUSTER `main` ADD COLUMN IF NOT EXISTS `note` Nullable(String) COMMENT 'Free text'",
            ],
            statements);
    }

    [Fact]
    public void Identifiers_BackticksBackslashesAndQuotes_AreEscaped()
    {
        var schema = new TableSchema(
            "we`ird\\name",
            [new ColumnSchema("it's `x`", ColumnType.Int64), new ColumnSchema("select", ColumnType.String)],
            ["it's `x`"]);

        var sql = Assert.Single(new ClickHouseTableDdl("d`b", null).CreateTable(schema));

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS `d\\`b`.`we\\`ird\\\\name`", sql, StringComparison.Ordinal);
        Assert.Contains("`it's \\`x\\`` Int64,", sql, StringComparison.Ordinal);
        Assert.Contains("`select` Nullable(String),", sql, StringComparison.Ordinal);
        Assert.Contains("ORDER BY `it's \\`x\\``", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Nullable(Decimal(18, 4))", ColumnType.Decimal, true)]
    [InlineData("Decimal(18,4)", ColumnType.Decimal, true)]
    [InlineData("Decimal(18, 2)", ColumnType.Decimal, false)]
    [InlineData("LowCardinality(Nullable(String))", ColumnType.String, true)]
    [InlineData("String", ColumnType.Json, true)]
    [InlineData("Int64", ColumnType.String, false)]
    [InlineData("DateTime64(3, 'UTC')", ColumnType.Timestamp, true)]
    [InlineData("DateTime", ColumnType.Timestamp, false)]
    [InlineData("Date32", ColumnType.Date, true)]
    [InlineData("Date", ColumnType.Date, false)]
    [InlineData("Bool", ColumnType.Boolean, true)]
    [InlineData("UInt8", ColumnType.Boolean, false)]
    public void IsCompatible_ExistingType_MatchesOnlyTheSameBaseType(string existing, ColumnType type, bool expected)
    {
        Assert.Equal(expected, ClickHouseColumnTypes.IsCompatible(existing, new ColumnSchema("c", type)));
    }
}
