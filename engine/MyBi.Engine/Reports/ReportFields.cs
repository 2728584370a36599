using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Reports;

/// <summary>The leaf fields of a report type by dotted path (account.title), with their column shapes.</summary>
public sealed class ReportFields
{
    private readonly Dictionary<string, (ColumnSchema Column, string[] Path)> _fields;

    private ReportFields(ReportTypeDescriptor descriptor, Dictionary<string, (ColumnSchema, string[])> fields)
    {
        Descriptor = descriptor;
        _fields = fields;
    }

    /// <summary>The report type.</summary>
    public ReportTypeDescriptor Descriptor { get; }

    /// <summary>Every selectable field path.</summary>
    public IEnumerable<string> Paths => _fields.Keys;

    /// <summary>Reads the report type's schema.</summary>
    public static ReportFields Of(ReportTypeDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var compiled = StreamSchemaCompiler.Compile(new StreamDescriptor { Name = descriptor.Name, JsonSchema = descriptor.JsonSchema, PrimaryKey = [] }, keepExtra: false);
        var fields = new Dictionary<string, (ColumnSchema, string[])>(StringComparer.Ordinal);
        for (var i = 0; i < compiled.Table.Columns.Count; i++)
        {
            fields[string.Join('.', compiled.Paths[i])] = (compiled.Table.Columns[i], compiled.Paths[i]);
        }

        foreach (var required in new[] { descriptor.KeyField, descriptor.DateField }.OfType<string>())
        {
            if (!fields.ContainsKey(required))
            {
                throw MyBiException.System($"Report type '{descriptor.Name}' names field '{required}', which its schema lacks.");
            }
        }

        return new ReportFields(descriptor, fields);
    }

    /// <summary>Whether a dotted path is a field of the report.</summary>
    public bool Contains(string path) => _fields.ContainsKey(path);

    /// <summary>The column a field becomes in a fixed-structure table: dots become underscores.</summary>
    public ColumnSchema ColumnFor(string path)
    {
        var (column, _) = _fields[path];
        return new ColumnSchema(ColumnName(path), column.Type) { Description = column.Description, Precision = column.Precision, Scale = column.Scale };
    }

    /// <summary>The property names leading to a field's value in a row.</summary>
    internal string[] PathOf(string field) => _fields[field].Path;

    /// <summary>account.title → account_title.</summary>
    public static string ColumnName(string path) => path.Replace('.', '_');
}
