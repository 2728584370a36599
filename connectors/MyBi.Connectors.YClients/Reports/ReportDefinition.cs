using System.Text.Json.Nodes;
using MyBi.Abstractions.Reports;
using MyBi.Connectors.YClients.Parsing;

namespace MyBi.Connectors.YClients.Reports;

/// <summary>A report type's descriptor plus what the connector needs from its schema while shaping rows.</summary>
internal sealed class ReportDefinition
{
    public required ReportTypeDescriptor Descriptor { get; init; }

    /// <summary>Property paths declared as <c>date-time</c>; naive local values there get the company's offset.</summary>
    public required IReadOnlyList<string[]> DateTimePaths { get; init; }

    /// <summary>Every field, as a dotted path, in schema order.</summary>
    public required IReadOnlyList<string> Fields { get; init; }

    public string Name => Descriptor.Name;

    /// <summary>
    /// Whether a shaped row belongs to the period by its date field (the company's local day). Rows of a report
    /// without a date field, and rows whose date is missing, always belong.
    /// </summary>
    public bool InPeriod(JsonObject row, DateOnly from, DateOnly to)
    {
        if (Descriptor.DateField is not { } field)
        {
            return true;
        }

        JsonNode? node = row;
        foreach (var part in field.Split('.'))
        {
            node = (node as JsonObject)?[part];
        }

        if (Lenient.Timestamp(node) is not { } stamp)
        {
            return true;
        }

        var day = DateOnly.FromDateTime(stamp.DateTime);
        return day >= from && day <= to;
    }
}
