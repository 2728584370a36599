using System.Text.Json;
using DuckDB.NET.Data;
using MyBi.Abstractions.Errors;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>
/// Lets only a single SELECT through. DuckDB's own parser decides (via <c>json_serialize_sql</c>, which serializes
/// SELECT statements only), so comments, quoting and several statements in one string cannot fool a hand-written
/// scanner. The query then runs in a transaction that is always rolled back, as a second line of defence.
/// </summary>
/// <remarks>
/// A separate <c>ACCESS_MODE=READ_ONLY</c> connection is not used: DuckDB.NET shares one database instance per
/// file within a process, so a second connection silently gets the first one's access mode (a read-only
/// connection opened next to a writer can write, and a writer opened after a reader cannot).
/// </remarks>
internal static class DuckDbQueryGuard
{
    public static void EnsureSingleSelect(DuckDBConnection connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw MyBiException.Config("The query is empty; give one SELECT statement.");
        }

        string serialized;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT json_serialize_sql(CAST($sql AS VARCHAR))";
            command.Parameters.Add(new DuckDBParameter("sql", sql));
            serialized = (string)command.ExecuteScalar()!;
        }

        using var document = JsonDocument.Parse(serialized);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            var type = root.TryGetProperty("error_type", out var t) ? t.GetString() : null;
            var message = root.TryGetProperty("error_message", out var m) ? m.GetString() : null;
            throw type == "not implemented"
                ? MyBiException.Config("Queries are read-only: only a single SELECT statement may run (no INSERT, UPDATE, DELETE, DDL, COPY, SET or several statements).")
                : MyBiException.Config($"The query is not valid DuckDB SQL: {message}.");
        }

        var count = root.TryGetProperty("statements", out var statements) && statements.ValueKind == JsonValueKind.Array
            ? statements.GetArrayLength()
            : 0;
        if (count != 1)
        {
            throw MyBiException.Config($"The query holds {count} statements; give exactly one SELECT statement.");
        }
    }
}
