using System.Globalization;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using MyBi.Abstractions.Records;

namespace MyBi.Rules.Internal;

/// <summary>
/// Reads <c>declare(name, { columns, key, description })</c> into a <see cref="TableSchema"/>. Every problem is
/// a <see cref="FormatException"/> whose message says what to write instead.
/// </summary>
internal static partial class TableDeclarationReader
{
    public const string TypeList = "string, int64, decimal, decimal(p,s), double, boolean, timestamp, local_timestamp, date, json";

    private static readonly HashSet<string> s_tableOptions = new(StringComparer.Ordinal) { "columns", "key", "description" };
    private static readonly HashSet<string> s_columnOptions = new(StringComparer.Ordinal) { "type", "precision", "scale", "nullable", "description" };

    public static TableSchema Read(JsValue nameValue, JsValue specValue)
    {
        if (nameValue is not JsString)
        {
            throw new FormatException("declare(name, spec): the table name must be a text such as 'finance_ops'");
        }

        var name = nameValue.ToString();
        if (!Identifier().IsMatch(name))
        {
            throw new FormatException($"declare('{name}'): a table name is letters, digits and _ (up to 63, not starting with a digit)");
        }

        if (specValue is not ObjectInstance spec || specValue.IsArray())
        {
            throw new FormatException($"declare('{name}', spec): spec must be an object like {{ columns: {{ id: 'int64' }}, key: ['id'] }}");
        }

        foreach (var option in OwnKeys(spec))
        {
            if (!s_tableOptions.Contains(option))
            {
                throw new FormatException($"declare('{name}'): unknown option '{option}' (use columns, key, description)");
            }
        }

        if (spec.Get("columns") is not ObjectInstance columnsObject || columnsObject.IsArray())
        {
            throw new FormatException($"declare('{name}'): columns must be an object like {{ id: 'int64', title: 'string' }}");
        }

        var columns = new List<ColumnSchema>();
        foreach (var columnName in OwnKeys(columnsObject))
        {
            columns.Add(ReadColumn(name, columnName, columnsObject.Get(columnName)));
        }

        if (columns.Count == 0)
        {
            throw new FormatException($"declare('{name}'): the table has no columns");
        }

        var key = ReadKey(name, spec.Get("key"), columns);
        var description = spec.Get("description");
        return new TableSchema(name, columns, key) { Description = description is JsString ? description.ToString() : null };
    }

    private static ColumnSchema ReadColumn(string table, string name, JsValue value)
    {
        if (!Identifier().IsMatch(name))
        {
            throw new FormatException($"declare('{table}'): column name '{name}' must be letters, digits and _ (up to 63, not starting with a digit)");
        }

        if (value is JsString typeText)
        {
            return ParseType(table, name, typeText.ToString());
        }

        if (value is not ObjectInstance options || value.IsArray())
        {
            throw new FormatException($"declare('{table}'): column '{name}' needs a type such as 'int64' or {{ type: 'decimal', precision: 18, scale: 2 }}");
        }

        foreach (var option in OwnKeys(options))
        {
            if (!s_columnOptions.Contains(option))
            {
                throw new FormatException($"declare('{table}'): column '{name}' has unknown option '{option}' (use type, precision, scale, nullable, description)");
            }
        }

        var column = ParseType(table, name, options.Get("type") is JsString t ? t.ToString() : string.Empty);
        if (options.Get("precision") is var p && !p.IsUndefined() || options.Get("scale") is var s && !s.IsUndefined())
        {
            if (column.Type != ColumnType.Decimal)
            {
                throw new FormatException($"declare('{table}'): column '{name}' has precision or scale but is not a decimal");
            }

            column = WithPrecision(table, name, ReadInt(table, name, options.Get("precision"), column.Precision), ReadInt(table, name, options.Get("scale"), column.Scale));
        }

        var nullable = options.Get("nullable");
        var description = options.Get("description");
        return column with
        {
            Nullable = nullable.IsUndefined() || TypeConverter.ToBoolean(nullable),
            Description = description is JsString ? description.ToString() : null,
        };
    }

    private static ColumnSchema ParseType(string table, string name, string type)
    {
        var decimalMatch = DecimalType().Match(type);
        if (decimalMatch.Success)
        {
            return WithPrecision(
                table,
                name,
                int.Parse(decimalMatch.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(decimalMatch.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        var columnType = type switch
        {
            "string" => ColumnType.String,
            "int64" => ColumnType.Int64,
            "decimal" => ColumnType.Decimal,
            "double" => ColumnType.Double,
            "boolean" => ColumnType.Boolean,
            "timestamp" => ColumnType.Timestamp,
            "local_timestamp" => ColumnType.LocalDateTime,
            "date" => ColumnType.Date,
            "json" => ColumnType.Json,
            _ => throw new FormatException($"declare('{table}'): column '{name}' has unknown type '{type}'; use one of {TypeList}"),
        };
        return new ColumnSchema(name, columnType);
    }

    private static ColumnSchema WithPrecision(string table, string name, int precision, int scale)
    {
        // The CLR decimal carries 28 significant digits; a wider column could not hold our values exactly.
        if (precision is < 1 or > 28 || scale < 0 || scale > precision)
        {
            throw new FormatException($"declare('{table}'): column '{name}' has decimal({precision},{scale}); precision must be 1..28 and scale 0..precision");
        }

        return new ColumnSchema(name, ColumnType.Decimal) { Precision = precision, Scale = scale };
    }

    private static int ReadInt(string table, string name, JsValue value, int fallback)
    {
        if (value.IsUndefined())
        {
            return fallback;
        }

        return value is JsNumber n && Math.Truncate(n.AsNumber()) == n.AsNumber() && Math.Abs(n.AsNumber()) < 1000
            ? (int)n.AsNumber()
            : throw new FormatException($"declare('{table}'): column '{name}' precision and scale must be whole numbers");
    }

    private static List<string> ReadKey(string table, JsValue value, List<ColumnSchema> columns)
    {
        var key = new List<string>();
        if (value.IsUndefined())
        {
            return key;
        }

        if (value is JsString single)
        {
            key.Add(single.ToString());
        }
        else if (value.IsArray())
        {
            var array = value.AsArray();
            for (uint i = 0; i < array.Length; i++)
            {
                key.Add(array.Get(i) is JsString part ? part.ToString() : throw new FormatException($"declare('{table}'): key must list column names, like ['id']"));
            }
        }
        else
        {
            throw new FormatException($"declare('{table}'): key must list column names, like ['id']");
        }

        foreach (var part in key)
        {
            if (!columns.Exists(c => c.Name == part))
            {
                throw new FormatException($"declare('{table}'): key column '{part}' is not one of its columns");
            }

            if (columns.Find(c => c.Name == part)!.Type == ColumnType.Json)
            {
                throw new FormatException($"declare('{table}'): key column '{part}' cannot be a json column");
            }
        }

        if (key.Distinct(StringComparer.Ordinal).Count() != key.Count)
        {
            throw new FormatException($"declare('{table}'): key lists a column twice");
        }

        return key;
    }

    private static IEnumerable<string> OwnKeys(ObjectInstance obj)
    {
        foreach (var key in obj.GetOwnPropertyKeys(Types.String))
        {
            if (obj.GetOwnProperty(key).Enumerable)
            {
                yield return key.ToString();
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^decimal\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$")]
    private static partial Regex DecimalType();
}
