using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using MyBi.Abstractions.Records;

namespace MyBi.Rules.Internal;

/// <summary>
/// The host side of <c>declare()</c> and <c>emit()</c>. Rows emitted for an input row wait until the row
/// finishes, so a row that fails leaves nothing behind (all or nothing per input row).
/// </summary>
internal sealed class RowEmitter
{
    private readonly Engine _engine;
    private readonly ColumnValueConverter _converter;
    private readonly int _maxRowsPerInputRow;
    private readonly int _maxTables;
    private readonly Jint.Native.Error.ErrorConstructor _rangeError;
    private readonly Dictionary<string, string> _reserved = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<TableSink> _tables = [];
    private readonly Dictionary<string, TableSink> _byName = new(StringComparer.Ordinal);
    private readonly List<(TableSink Table, object?[] Row)> _pending = [];
    private bool _declaring = true;
    private bool _inRow;

    public RowEmitter(Engine engine, ColumnValueConverter converter, SandboxLimits limits, RuleContext context)
    {
        _engine = engine;
        _converter = converter;
        _maxRowsPerInputRow = limits.MaxRowsPerInputRow;
        _maxTables = limits.MaxTables;
        _rangeError = (Jint.Native.Error.ErrorConstructor)engine.Global.Get("RangeError");
        foreach (var (table, owner) in context.ReservedTables)
        {
            _reserved.TryAdd(table, owner);
        }
    }

    /// <summary>Tables whose names start with this belong to the engine (run records, cursors, quarantine, owners).</summary>
    public const string EnginePrefix = "_mybi_";

    public IReadOnlyList<TableSchema> Tables => _tables.ConvertAll(t => t.Schema);

    public void EndDeclarations() => _declaring = false;

    public JsValue Declare(JsValue thisObject, JsValue[] arguments)
    {
        if (!_declaring)
        {
            throw TypeError("declare() works only at the top level of the rule file, not inside transform()");
        }

        TableSchema schema;
        try
        {
            schema = TableDeclarationReader.Read(Argument(arguments, 0), Argument(arguments, 1));
        }
        catch (FormatException ex)
        {
            throw TypeError(ex.Message);
        }

        // Destinations such as DuckDB do not tell names apart by case, so neither do these checks.
        if (schema.Name.StartsWith(EnginePrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw TypeError($"declare('{schema.Name}'): names starting with {EnginePrefix} are reserved for the engine's own tables; choose another name");
        }

        if (_reserved.TryGetValue(schema.Name, out var owner))
        {
            throw TypeError($"declare('{schema.Name}'): the table belongs to {owner}; a table has one owner, so choose another name");
        }

        if (_tables.Exists(t => string.Equals(t.Schema.Name, schema.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw TypeError($"declare('{schema.Name}'): the table is declared twice");
        }

        if (_tables.Count >= _maxTables)
        {
            throw new JavaScriptException(_rangeError, $"declare('{schema.Name}'): a rule may declare at most {_maxTables} tables (rules.max_tables)");
        }

        var sink = new TableSink(schema);
        _tables.Add(sink);
        _byName.Add(schema.Name, sink);
        return JsValue.Undefined;
    }

    public JsValue Emit(JsValue thisObject, JsValue[] arguments)
    {
        if (!_inRow)
        {
            throw TypeError("emit() works only inside transform(row, ctx)");
        }

        var tableName = Argument(arguments, 0);
        if (tableName is not JsString || !_byName.TryGetValue(tableName.ToString(), out var table))
        {
            var declared = string.Join(", ", _tables.Select(t => t.Schema.Name));
            throw TypeError($"emit('{tableName}'): no such table is declared (declared: {declared})");
        }

        var schema = table.Schema;
        if (Argument(arguments, 1) is not ObjectInstance row || row.IsArray() || row.IsCallable())
        {
            throw TypeError($"emit('{schema.Name}', row): row must be an object like {{ {schema.Columns[0].Name}: ... }}");
        }

        if (_pending.Count >= _maxRowsPerInputRow)
        {
            throw new RowFailure($"the input row emitted more than {_maxRowsPerInputRow} rows; rules allow at most that many per input row");
        }

        _pending.Add((table, ToRow(table, row)));
        return JsValue.Undefined;
    }

    public void BeginBatch()
    {
        foreach (var table in _tables)
        {
            table.Rows = [];
        }
    }

    public void BeginRow()
    {
        _pending.Clear();
        _inRow = true;
    }

    /// <summary>Keeps the rows of the finished input row; false when it emitted none.</summary>
    public bool CommitRow()
    {
        _inRow = false;
        foreach (var (table, row) in _pending)
        {
            table.Rows.Add(row);
        }

        var emitted = _pending.Count > 0;
        _pending.Clear();
        return emitted;
    }

    public void AbandonRow()
    {
        _inRow = false;
        _pending.Clear();
    }

    public Dictionary<string, RecordBatch> TakeBatches()
    {
        var batches = new Dictionary<string, RecordBatch>(StringComparer.Ordinal);
        foreach (var table in _tables)
        {
            batches.Add(table.Schema.Name, new RecordBatch(table.Schema, table.Rows));
            table.Rows = [];
        }

        return batches;
    }

    private object?[] ToRow(TableSink table, ObjectInstance row)
    {
        // Column by column: enumerating the row's own properties built a descriptor pair for each of them.
        var schema = table.Schema;
        var values = new object?[schema.Columns.Count];
        var found = 0;
        for (var ordinal = 0; ordinal < values.Length; ordinal++)
        {
            var name = table.ColumnNames[ordinal];
            var descriptor = row.GetOwnProperty(name);
            if (descriptor == PropertyDescriptor.Undefined || !descriptor.Enumerable)
            {
                continue;
            }

            found++;
            var column = schema.Columns[ordinal];
            var value = descriptor.IsDataDescriptor() ? descriptor.Value : row.Get(name);
            try
            {
                values[ordinal] = _converter.Convert(value, column);
            }
            catch (FormatException ex)
            {
                throw TypeError($"emit('{schema.Name}'): column '{column.Name}' ({TypeName(column)}): {ex.Message}");
            }
        }

        if (row.GetOwnPropertyKeys(Types.String).Count > found)
        {
            RefuseUndeclared(schema, row);
        }

        foreach (var keyColumn in schema.PrimaryKey)
        {
            if (values[schema.IndexOf(keyColumn)] is null)
            {
                throw TypeError($"emit('{schema.Name}'): key column '{keyColumn}' is missing or null");
            }
        }

        return values;
    }

    /// <summary>Throws for the first enumerable property of the row that is no declared column.</summary>
    private void RefuseUndeclared(TableSchema schema, ObjectInstance row)
    {
        foreach (var (key, descriptor) in row.GetOwnProperties())
        {
            if (key is JsString && descriptor.Enumerable && schema.IndexOf(key.ToString()) < 0)
            {
                throw TypeError($"emit('{schema.Name}'): column '{key}' is not declared (columns: {string.Join(", ", schema.Columns.Select(c => c.Name))})");
            }
        }
    }

    private static string TypeName(ColumnSchema column) => column.Type switch
    {
        ColumnType.Decimal => $"decimal({column.Precision},{column.Scale})",
        ColumnType.LocalDateTime => "local_timestamp",
        _ => column.Type.ToString().ToLowerInvariant(),
    };

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;

    private JavaScriptException TypeError(string message) => new(_engine.Intrinsics.TypeError, message);

    private sealed class TableSink(TableSchema schema)
    {
        public TableSchema Schema { get; } = schema;

        /// <summary>The columns' names as script strings, made once rather than for every emitted row.</summary>
        public JsString[] ColumnNames { get; } = [.. schema.Columns.Select(c => new JsString(c.Name))];

        public List<object?[]> Rows { get; set; } = [];
    }
}
