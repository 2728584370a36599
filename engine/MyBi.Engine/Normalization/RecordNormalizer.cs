using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Normalization;

/// <summary>Turns a source row (JSON) into a typed row of its stream's table (the "normalize" step).</summary>
public static class RecordNormalizer
{
    /// <summary>Normalizes one row; a value that cannot fit its column fails with the stream, column and row key.</summary>
    public static object?[] Normalize(CompiledStream stream, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        var columns = stream.Table.Columns;
        var row = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var node = JsonPaths.Navigate(data, stream.Paths[i]);
            try
            {
                row[i] = LenientValueConverter.Convert(node, columns[i]);
            }
            catch (FormatException ex)
            {
                throw new MyBiException(
                    FailureKind.System,
                    $"Stream '{stream.Table.Name}', row {stream.KeyOf(data)}: column '{columns[i].Name}' ({columns[i].Type}): {ex.Message}.",
                    ex)
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

        return row;
    }
}
