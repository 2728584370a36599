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
        var (filter, parameters) = Filter(table, conditions);
        var storage = ClickHouseSql.Table(_database, _ddl.StorageTable(table.Name));
        var keyed = table.PrimaryKey.Count > 0;
        var operation = $"deleting rows of table '{table.Name}'";
        var count = await CountAsync(table, filter, parameters, operation, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The number of current rows (keys) matching the conditions.</summary>
    public ValueTask<long> CountAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken)
    {
        var (filter, parameters) = Filter(table, conditions);
        return CountAsync(table, filter, parameters, $"counting rows of table '{table.Name}'", cancellationToken);
    }

    /// <summary>
    /// Deletes the rows of the oldest calendar month (UTC) that holds rows dated before the cutoff, up to the cutoff:
    /// one lightweight DELETE per month keeps each mutation bounded, and the next call takes the next month.
    /// </summary>
    public async ValueTask<long> DeleteOldestMonthAsync(TableSchema table, string column, object cutoff, CancellationToken cancellationToken)
    {
        var index = table.IndexOf(column);
        if (index < 0)
        {
            throw MyBiException.System($"Cannot delete from table '{table.Name}': it has no column '{column}'.");
        }

        var schema = table.Columns[index];
        var (filter, parameters) = Filter(table, [new RowCondition(column, ConditionOperator.Less, cutoff)]);
        var final = table.PrimaryKey.Count > 0 ? " FINAL" : "";
        var oldest = ClickHouseValues.FromDriver(
            await _commands.ScalarAsync(
                $"SELECT minOrNull({ClickHouseSql.Identifier(column)}) FROM {ClickHouseSql.Table(_database, table.Name)}{final} WHERE {filter}",
                parameters,
                $"finding the oldest rows of table '{table.Name}'",
                cancellationToken).ConfigureAwait(false),
            schema);
        (object From, object To)? month = (oldest, cutoff) switch
        {
            (DateTimeOffset first, DateTimeOffset end) when new DateTimeOffset(first.Year, first.Month, 1, 0, 0, 0, TimeSpan.Zero) is var start =>
                (start, start.AddMonths(1) < end ? start.AddMonths(1) : end),
            (DateOnly first, DateOnly end) when new DateOnly(first.Year, first.Month, 1) is var start =>
                (start, start.AddMonths(1) < end ? start.AddMonths(1) : end),
            (null, _) => null,
            _ => throw MyBiException.System($"Cannot delete from table '{table.Name}' by column '{column}' ({schema.Type}) before a {cutoff.GetType().Name}."),
        };
        return month is { } range
            ? await DeleteAsync(table, [new RowCondition(column, ConditionOperator.GreaterOrEqual, range.From), new RowCondition(column, ConditionOperator.Less, range.To)], cancellationToken).ConfigureAwait(false)
            : 0;
    }

    private async ValueTask<long> CountAsync(TableSchema table, string filter, ClickHouseParameterCollection parameters, string operation, CancellationToken cancellationToken)
    {
        var final = table.PrimaryKey.Count > 0 ? " FINAL" : "";
        var counted = await _commands.ScalarAsync(
            $"SELECT count() FROM {ClickHouseSql.Table(_database, table.Name)}{final} WHERE {filter}",
            parameters,
            operation,
            cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(counted, CultureInfo.InvariantCulture);
    }

    /// <summary>The AND of the conditions as a WHERE body with typed parameters.</summary>
    internal static (string Filter, ClickHouseParameterCollection Parameters) Filter(TableSchema table, IReadOnlyList<RowCondition> conditions)
    {
        var parameters = new ClickHouseParameterCollection();
        var where = new List<string>();
        foreach (var condition in conditions)
        {
            var index = table.IndexOf(condition.Column);
            if (index < 0)
            {
                throw MyBiException.System($"Cannot filter table '{table.Name}': it has no column '{condition.Column}'.");
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

        return (where.Count == 0 ? "1" : string.Join(" AND ", where), parameters);
    }
}
