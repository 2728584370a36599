using System.Globalization;
using ClickHouse.Driver.ADO.Parameters;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>
/// Deletes the current rows matching conditions. With a primary key, every stored version of each matching key
/// goes (a delete of the newest version alone would bring an older one back); the delete is a lightweight DELETE,
/// so rows disappear from reads at once and from disk at the next merge.
/// </summary>
internal sealed class ClickHouseRowDeleter
{
    private readonly ClickHouseCommands _commands;
    private readonly ClickHouseTableDdl _ddl;
    private readonly string _database;

    public ClickHouseRowDeleter(ClickHouseCommands commands, ClickHouseTableDdl ddl, string database)
    {
        _commands = commands;
        _ddl = ddl;
        _database = database;
    }

    /// <summary>Returns the number of rows (keys) deleted.</summary>
    public async ValueTask<long> DeleteAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken)
    {
        var parameters = new ClickHouseParameterCollection();
        var where = new List<string>();
        foreach (var condition in conditions)
        {
            var index = table.IndexOf(condition.Column);
            if (index < 0)
            {
                throw MyBiException.System($"Cannot delete from table '{table.Name}': it has no column '{condition.Column}'.");
            }

            var column = table.Columns[index];
            var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new ClickHouseDbParameter { ParameterName = name, Value = ClickHouseValues.ToDriver(condition.Value, column) });
            var op = condition.Operator switch
            {
                ConditionOperator.Equal => "=",
                ConditionOperator.NotEqual => "<>",
                ConditionOperator.GreaterOrEqual => ">=",
                ConditionOperator.LessOrEqual => "<=",
                ConditionOperator.Less => "<",
                _ => throw new ArgumentOutOfRangeException(nameof(conditions), condition.Operator, "Unknown condition operator."),
            };
            where.Add($"{ClickHouseSql.Identifier(column.Name)} {op} {{{name}:{ClickHouseColumnTypes.BaseType(column)}}}");
        }

        var filter = where.Count == 0 ? "1" : string.Join(" AND ", where);
        var storage = ClickHouseSql.Table(_database, _ddl.StorageTable(table.Name));
        var keyed = table.PrimaryKey.Count > 0;
        var operation = $"deleting rows of table '{table.Name}'";
        var counted = await _commands.ScalarAsync(
            $"SELECT count() FROM {ClickHouseSql.Table(_database, table.Name)}{(keyed ? " FINAL" : "")} WHERE {filter}",
            parameters,
            operation,
            cancellationToken).ConfigureAwait(false);
        var count = Convert.ToInt64(counted, CultureInfo.InvariantCulture);
        if (count == 0)
        {
            return 0;
        }

        var predicate = filter;
        if (keyed)
        {
            var key = "(" + string.Join(", ", table.PrimaryKey.Select(ClickHouseSql.Identifier)) + ")";
            predicate = $"{key} IN (SELECT {key} FROM {storage} FINAL WHERE {filter})";
        }

        await _commands.ExecuteAsync(
            $"DELETE FROM {storage}{_ddl.OnClusterClause} WHERE {predicate}",
            operation,
            cancellationToken,
            parameters,
            stream: table.Name).ConfigureAwait(false);
        return count;
    }
}
