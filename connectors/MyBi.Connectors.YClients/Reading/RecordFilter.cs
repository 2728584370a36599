using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>
/// Filters of the records stream (<c>service_category_id</c>, <c>staff_id</c>); the child streams
/// record_services, record_goods and visits follow the records kept.
/// </summary>
internal sealed class RecordFilter
{
    public static readonly RecordFilter None = new(null, null);

    private RecordFilter(IReadOnlySet<long>? staffIds, IReadOnlySet<long>? serviceCategoryIds)
    {
        StaffIds = staffIds;
        ServiceCategoryIds = serviceCategoryIds;
    }

    public IReadOnlySet<long>? StaffIds { get; }

    public IReadOnlySet<long>? ServiceCategoryIds { get; }

    public bool IsEmpty => StaffIds is null && ServiceCategoryIds is null;

    /// <summary>Reads <see cref="MyBi.Abstractions.Streams.ReadRequest.Filters"/>; anything unsupported is a Config error.</summary>
    public static RecordFilter Parse(IReadOnlyDictionary<string, JsonObject> filters, StreamCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(filters);
        RecordFilter result = None;
        foreach (var (stream, filter) in filters)
        {
            if (filter is null || filter.Count == 0)
            {
                continue;
            }

            if (stream != StreamNames.Records)
            {
                var where = catalog.Contains(stream) && catalog[stream].Descriptor.Parent == StreamNames.Records
                    ? $"; put the filter on the records stream, {stream} follows it"
                    : "; only the records stream has filters (service_category_id, staff_id)";
                throw MyBiException.Config($"The YCLIENTS stream '{stream}' does not support filters{where}.");
            }

            HashSet<long>? staff = null;
            HashSet<long>? categories = null;
            foreach (var (field, value) in filter)
            {
                switch (field)
                {
                    case "staff_id":
                        staff = Ids(field, value);
                        break;
                    case "service_category_id":
                        categories = Ids(field, value);
                        break;
                    default:
                        throw MyBiException.Config(
                            $"The YCLIENTS records stream does not support the filter '{field}' (supported: service_category_id, staff_id).");
                }
            }

            result = new RecordFilter(staff, categories);
        }

        return result;
    }

    /// <summary>Whether a record passes, given its company's service-to-category map.</summary>
    public bool Accepts(JsonObject record, IReadOnlyDictionary<long, long>? serviceCategories)
    {
        if (StaffIds is not null && (Lenient.Id(record["staff_id"]) is not { } staff || !StaffIds.Contains(staff)))
        {
            return false;
        }

        if (ServiceCategoryIds is not null)
        {
            foreach (var service in Lenient.Objects(record["services"]))
            {
                if (Lenient.Id(service["id"]) is { } serviceId
                    && serviceCategories is not null
                    && serviceCategories.TryGetValue(serviceId, out var category)
                    && ServiceCategoryIds.Contains(category))
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    private static HashSet<long> Ids(string field, JsonNode? value)
    {
        var ids = new HashSet<long>();
        IEnumerable<JsonNode?> items = value is JsonArray array ? array : new[] { value };
        foreach (var item in items)
        {
            if (Lenient.Id(item) is not { } id)
            {
                throw MyBiException.Config($"The records filter '{field}' must be an id or a list of ids.");
            }

            ids.Add(id);
        }

        if (ids.Count == 0)
        {
            throw MyBiException.Config($"The records filter '{field}' is an empty list; remove it or give at least one id.");
        }

        return ids;
    }
}
