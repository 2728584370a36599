using System.Text;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>
/// The DDL of the destination. Single server: one <c>ReplacingMergeTree(_mybi_version)</c> table ordered by the
/// primary key (a plain <c>MergeTree ORDER BY tuple()</c> without one). Cluster: every statement runs
/// <c>ON CLUSTER</c>; rows live in a <c>ReplicatedReplacingMergeTree</c> table <c>&lt;t&gt;_local</c> on each node,
/// and <c>&lt;t&gt;</c> is a <c>Distributed</c> table over it, sharded by a hash of the primary key so that every
/// version of a row lands on the same shard (where FINAL can collapse them).
/// </summary>
internal sealed class ClickHouseTableDdl
{
    private readonly string _database;
    private readonly string? _cluster;

    public ClickHouseTableDdl(string database, string? cluster)
    {
        _database = database;
        _cluster = string.IsNullOrWhiteSpace(cluster) ? null : cluster;
    }

    /// <summary>Whether DDL runs ON CLUSTER with replicated local tables and a Distributed table.</summary>
    public bool ClusterMode => _cluster is not null;

    /// <summary>" ON CLUSTER `c`" in cluster mode, else empty.</summary>
    public string OnClusterClause => _cluster is null ? "" : " ON CLUSTER " + ClickHouseSql.Identifier(_cluster);

    private string OnCluster => OnClusterClause;

    /// <summary>The name rows are stored under (the local table in cluster mode).</summary>
    public string StorageTable(string table) => ClusterMode ? table + ClickHouseSql.LocalSuffix : table;

    /// <summary>CREATE DATABASE IF NOT EXISTS.</summary>
    public string CreateDatabase() => "CREATE DATABASE IF NOT EXISTS " + ClickHouseSql.Identifier(_database) + OnCluster;

    /// <summary>The statements that create a table (in order).</summary>
    public IReadOnlyList<string> CreateTable(TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var storage = StorageTable(schema.Name);
        var builder = new StringBuilder();
        builder.Append("CREATE TABLE IF NOT EXISTS ").Append(ClickHouseSql.Table(_database, storage)).Append(OnCluster).Append('\n');
        builder.Append("(\n");
        foreach (var column in schema.Columns)
        {
            builder.Append("    ").Append(ClickHouseSql.Identifier(column.Name)).Append(' ').Append(ClickHouseColumnTypes.TypeOf(column));
            if (!string.IsNullOrWhiteSpace(column.Description))
            {
                builder.Append(" COMMENT ").Append(ClickHouseSql.Literal(column.Description));
            }

            builder.Append(",\n");
        }

        builder.Append("    ").Append(ClickHouseSql.Identifier(ClickHouseSql.VersionColumn)).Append(" UInt64 COMMENT ")
            .Append(ClickHouseSql.Literal("Load version: of several rows with one key, the highest version is current")).Append('\n');
        builder.Append(")\n");
        builder.Append("ENGINE = ").Append(Engine(schema)).Append('\n');
        builder.Append("ORDER BY ").Append(OrderBy(schema));
        if (!string.IsNullOrWhiteSpace(schema.Description))
        {
            builder.Append('\n').Append("COMMENT ").Append(ClickHouseSql.Literal(schema.Description));
        }

        if (!ClusterMode)
        {
            return [builder.ToString()];
        }

        var distributed = "CREATE TABLE IF NOT EXISTS " + ClickHouseSql.Table(_database, schema.Name) + OnCluster
            + " AS " + ClickHouseSql.Table(_database, storage) + "\n"
            + "ENGINE = Distributed(" + ClickHouseSql.Literal(_cluster!) + ", " + ClickHouseSql.Literal(_database) + ", "
            + ClickHouseSql.Literal(storage) + ", " + ShardingKey(schema) + ")";
        return [builder.ToString(), distributed];
    }

    /// <summary>The statements that add a nullable column (to the local and the Distributed table in cluster mode).</summary>
    public IReadOnlyList<string> AddColumn(string table, ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var nullable = column with { Nullable = true };
        var definition = " ADD COLUMN IF NOT EXISTS " + ClickHouseSql.Identifier(column.Name) + " " + ClickHouseColumnTypes.TypeOf(nullable)
            + (string.IsNullOrWhiteSpace(column.Description) ? "" : " COMMENT " + ClickHouseSql.Literal(column.Description));
        var statements = new List<string> { "ALTER TABLE " + ClickHouseSql.Table(_database, StorageTable(table)) + OnCluster + definition };
        if (ClusterMode)
        {
            statements.Add("ALTER TABLE " + ClickHouseSql.Table(_database, table) + OnCluster + definition);
        }

        return statements;
    }

    private string Engine(TableSchema schema)
    {
        var version = ClickHouseSql.Identifier(ClickHouseSql.VersionColumn);
        if (!ClusterMode)
        {
            return schema.PrimaryKey.Count == 0 ? "MergeTree" : "ReplacingMergeTree(" + version + ")";
        }

        // {shard}/{replica} are the server's macros; {database}/{table} are expanded when the table is created.
        const string Path = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";
        return schema.PrimaryKey.Count == 0
            ? "ReplicatedMergeTree(" + Path + ")"
            : "ReplicatedReplacingMergeTree(" + Path + ", " + version + ")";
    }

    private static string OrderBy(TableSchema schema) => schema.PrimaryKey.Count switch
    {
        0 => "tuple()",
        1 => ClickHouseSql.Identifier(schema.PrimaryKey[0]),
        _ => "(" + string.Join(", ", schema.PrimaryKey.Select(ClickHouseSql.Identifier)) + ")",
    };

    private static string ShardingKey(TableSchema schema) =>
        schema.PrimaryKey.Count == 0 ? "rand()" : "cityHash64(" + string.Join(", ", schema.PrimaryKey.Select(ClickHouseSql.Identifier)) + ")";
}
