using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Engine.Normalization;

namespace MyBi.Engine.Reports;

/// <summary>Turns exported report rows into the job's output tables and writes them.</summary>
internal sealed class ReportWriter : IDisposable
{
    private static readonly System.Text.Json.JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ReportJob _job;
    private readonly Destination _destination;
    private readonly DateTimeOffset _now;
    private readonly TableSchema _table;
    private readonly Dictionary<string, long> _written = new(StringComparer.Ordinal);
    private readonly ColumnSchema _keyColumn;
    private readonly ColumnSchema? _dateColumn;
    private readonly string[][] _fixedPaths;

    private ReportWriter(ReportJob job, Destination destination, DateTimeOffset now, TableSchema table)
    {
        _job = job;
        _destination = destination;
        _now = now;
        _table = table;
        _keyColumn = job.Report.ColumnFor(job.Report.Descriptor.KeyField);
        _dateColumn = job.Report.Descriptor.DateField is string date ? job.Report.ColumnFor(date) : null;
        RunId = Guid.NewGuid().ToString("N");

        // Column i of a fixed table (between company_id and the three engine columns) reads this field path.
        var byColumn = job.Fields.Append(job.Report.Descriptor.KeyField).Distinct(StringComparer.Ordinal)
            .ToDictionary(ReportFields.ColumnName, job.Report.PathOf, StringComparer.Ordinal);
        _fixedPaths = table.Columns.Select(c => byColumn.GetValueOrDefault(c.Name) ?? []).ToArray();
    }

    public string RunId { get; }

    public IReadOnlyDictionary<string, long> Written => _written;

    public long QuarantinedRows { get; private set; }

    /// <summary>Every table the job writes (created before loading).</summary>
    public IReadOnlyList<TableSchema> Tables => _job.Transform is { } transform
        ? transform.Tables
        : [_table];

    public static ReportWriter Create(ReportJob job, Destination destination, DateTimeOffset now)
    {
        var table = job.FixStructure
            ? ReportTables.Fixed(job.Name, job.Report, job.Fields)
            : ReportTables.Shared(job.Connector.Name);
        return new ReportWriter(job, destination, now, table);
    }

    public async ValueTask WriteAsync(IReadOnlyList<JsonObject> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (_job.Transform is { } transform)
        {
            var selected = rows.Select(Select).ToList();
            var result = transform.Transform(selected, KeyOf, cancellationToken);
            foreach (var batch in result.Batches.Where(b => b.Count > 0))
            {
                await WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            if (result.Quarantined.Count > 0)
            {
                QuarantinedRows += result.Quarantined.Count;
                var quarantine = result.Quarantined.Select(q => new object?[] { RunId, _job.Name, q.RowKey, q.Error, q.RowJson, _now }).ToList();
                await _destination.WriteAsync(new RecordBatch(EngineTables.Quarantine, quarantine), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        Func<JsonObject, object?[]> shape = _job.FixStructure ? FixedRow : SharedRow;
        var output = rows.Select(shape).ToList();
        await WriteBatchAsync(new RecordBatch(_table, output), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the period's rows of this job that the current run did not rewrite: the source no longer has them.</summary>
    public async ValueTask RemoveStaleAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (_job.Transform is not null)
        {
            return;
        }

        var conditions = new List<RowCondition> { new(ReportTables.RunIdColumn, ConditionOperator.NotEqual, RunId) };
        if (!_job.FixStructure)
        {
            conditions.Add(new RowCondition("job_name", ConditionOperator.Equal, _job.Name));
        }

        if (_dateColumn is not null)
        {
            var dateColumn = _job.FixStructure ? ReportTables.RowDateColumn : "row_date";
            conditions.Add(new RowCondition(dateColumn, ConditionOperator.GreaterOrEqual, from));
            conditions.Add(new RowCondition(dateColumn, ConditionOperator.LessOrEqual, to));
        }

        await _destination.DeleteAsync(_table, conditions, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _job.Transform?.Dispose();

    private async ValueTask WriteBatchAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        await _destination.WriteAsync(batch, WriteMode.Merge, cancellationToken).ConfigureAwait(false);
        _written[batch.Schema.Name] = _written.GetValueOrDefault(batch.Schema.Name) + batch.Count;
    }

    private object?[] SharedRow(JsonObject row)
    {
        var data = new JsonObject();
        foreach (var field in _job.Fields)
        {
            data[field] = JsonPaths.Navigate(row, _job.Report.PathOf(field))?.DeepClone();
        }

        return [_job.Name, _job.Report.Descriptor.Name, CompanyOf(row), KeyOf(row), DateOf(row), data.ToJsonString(s_json), RunId, _now];
    }

    private object?[] FixedRow(JsonObject row)
    {
        var values = new object?[_table.Columns.Count];
        values[0] = CompanyOf(row);
        for (var i = 1; i < _table.Columns.Count - 3; i++)
        {
            values[i] = Convert(JsonPaths.Navigate(row, _fixedPaths[i]), _table.Columns[i], row);
        }

        values[^3] = DateOf(row);
        values[^2] = RunId;
        values[^1] = _now;
        return values;
    }

    private JsonObject Select(JsonObject row)
    {
        var selected = new JsonObject { ["company_id"] = CompanyOf(row) };
        foreach (var field in _job.Fields)
        {
            var path = _job.Report.PathOf(field);
            var target = selected;
            for (var i = 0; i < path.Length - 1; i++)
            {
                if (target[path[i]] is not JsonObject next)
                {
                    next = new JsonObject();
                    target[path[i]] = next;
                }

                target = next;
            }

            target[path[^1]] = JsonPaths.Navigate(row, path)?.DeepClone();
        }

        return selected;
    }

    private string KeyOf(JsonObject row) =>
        Convert(JsonPaths.Navigate(row, _job.Report.PathOf(_job.Report.Descriptor.KeyField)), new ColumnSchema("key", ColumnType.String), row) as string
        ?? throw MyBiException.System($"Report '{_job.Report.Descriptor.Name}' returned a row without its key field '{_job.Report.Descriptor.KeyField}'.");

    private long CompanyOf(JsonObject row) =>
        Convert(row["company_id"], new ColumnSchema("company_id", ColumnType.Int64), row) as long? ?? 0;

    private DateOnly? DateOf(JsonObject row)
    {
        if (_dateColumn is null)
        {
            return null;
        }

        var value = Convert(JsonPaths.Navigate(row, _job.Report.PathOf(_job.Report.Descriptor.DateField!)), _dateColumn, row);
        return value switch
        {
            DateOnly d => d,
            DateTimeOffset t => DateOnly.FromDateTime(t.DateTime),
            _ => null,
        };
    }

    private object? Convert(JsonNode? node, ColumnSchema column, JsonObject row)
    {
        try
        {
            return LenientValue.Parse(node, column.Type);
        }
        catch (FormatException ex)
        {
            throw MyBiException.System($"Report job '{_job.Name}': field '{column.Name}' of row {row["id"]?.ToJsonString() ?? "?"}: {ex.Message}.");
        }
    }
}
