using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Normalization;

/// <summary>Turns a source row (JSON) into a typed row of its stream's table (the "normalize" step).</summary>
public static class RecordNormalizer
{
    /// <summary>
    /// Normalizes one row; a value that cannot fit its column fails with the stream, column and row key. Fields
    /// the schema does not describe go into the <c>_extra</c> column.
    /// </summary>
    public static object?[] Normalize(CompiledStream stream, JsonObject data) => Normalize(stream, data, loadedAt: null);

    /// <summary>Normalizes one row received at <paramref name="loadedAt"/>, which fills the <c>_loaded_at</c> column.</summary>
    public static object?[] Normalize(CompiledStream stream, JsonObject data, DateTimeOffset? loadedAt)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        var columns = stream.Table.Columns;
        var row = new object?[columns.Count];
        for (var i = 0; i < stream.Paths.Count; i++)
        {
            var node = JsonPaths.Navigate(data, stream.Paths[i]);
            try
            {
                row[i] = LenientValue.Parse(node, columns[i].Type);
            }
            catch (FormatException ex)
            {
                throw new MyBiException(
                    FailureKind.System,
                    $"Stream '{stream.Table.Name}', row {stream.KeyOf(data)}: column '{columns[i].Name}' ({columns[i].Type}): {ex.Message}.",
                    ex)
                { Stream = stream.Table.Name };
            }

            if (row[i] is decimal amount && !columns[i].Holds(amount))
            {
                // The warehouse would refuse it and fail the whole batch with it; here it is this row's own fault.
                throw new MyBiException(
                    FailureKind.System,
                    string.Create(CultureInfo.InvariantCulture, $"Stream '{stream.Table.Name}', row {stream.KeyOf(data)}: column '{columns[i].Name}' (Decimal({columns[i].Precision}, {columns[i].Scale})): {amount} has more integer digits than the column holds."))
                { Stream = stream.Table.Name };
            }

            if (row[i] is null && !columns[i].Nullable)
            {
                throw new MyBiException(
                    FailureKind.System,
                    $"Stream '{stream.Table.Name}': a row has no value for its key column '{columns[i].Name}'.")
                { Stream = stream.Table.Name };
            }
        }

        if (stream.Known?.ExtraJsonOf(data) is { } extra)
        {
            row[^1] = extra;
        }

        if (stream.Known is not null)
        {
            row[^2] = loadedAt;
        }

        return row;
    }

    /// <summary>
    /// Why the row's primary key is unusable (a key value missing, null, or not convertible to its column:
    /// "abc", 1.5, 1e30 or 20 digits for an integer id); null when every key value converts.
    /// </summary>
    public static string? KeyProblem(CompiledStream stream, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        foreach (var key in stream.Table.PrimaryKey)
        {
            var index = stream.Table.IndexOf(key);
            var column = stream.Table.Columns[index];
            var node = JsonPaths.Navigate(data, stream.Paths[index]);
            try
            {
                if (LenientValue.Parse(node, column.Type) is null)
                {
                    return $"key column '{key}' has no value";
                }
            }
            catch (FormatException ex)
            {
                return $"key column '{key}' ({column.Type}): {ex.Message}";
            }
        }

        return null;
    }
}
