using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Running;

/// <summary>
/// Shapes rows into tables of its own (table-description rules), for report jobs and for streams with a
/// <c>transform:</c>. One instance serves one run on one thread; it is disposed when the run ends.
/// </summary>
public interface IRowTransform : IDisposable
{
    /// <summary>The tables the transform writes, known before any row is loaded.</summary>
    IReadOnlyList<TableSchema> Tables { get; }

    /// <summary>Transforms a batch; the key function names a row in error messages.</summary>
    RowTransformResult Transform(IReadOnlyList<JsonObject> rows, Func<JsonObject, string> keyOf, CancellationToken cancellationToken);
}

/// <summary>What a transform produced for one batch.</summary>
public sealed record RowTransformResult(IReadOnlyList<RecordBatch> Batches, IReadOnlyList<QuarantinedRow> Quarantined);

/// <summary>An input row a rule could not handle, kept with its error instead of failing the run.</summary>
public sealed record QuarantinedRow(string RowKey, string Error, string RowJson);
