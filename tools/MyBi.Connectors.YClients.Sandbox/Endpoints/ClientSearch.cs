using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MyBi.Connectors.YClients.Sandbox.Http;
using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Connectors.YClients.Sandbox.Endpoints;

/// <summary>The body of <c>POST /company/{id}/clients/search</c>. Supported filters: <c>quick_search</c> and <c>id</c>;
/// other filter types are refused with 400, as an invalid filter is on the live API.</summary>
internal sealed record ClientSearch(int Page, int PageSize, IReadOnlyList<string> Fields, string OrderBy, bool Descending, bool AnyFilter, IReadOnlyList<Func<SandboxClient, bool>> Filters)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;

    public static async Task<ClientSearch> ReadAsync(HttpContext context)
    {
        using var body = context.Request.ContentLength == 0
            ? JsonDocument.Parse("{}")
            : await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException("Тело запроса должно быть объектом", "body");
        }

        var page = Math.Max(1, Int(root, "page", 1));
        var pageSize = Math.Clamp(Int(root, "page_size", DefaultPageSize), 1, MaxPageSize);
        var fields = root.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Select(e => e.ToString()).ToList()
            : ["id"];
        if (fields.Count == 0)
        {
            fields = ["id"];
        }

        foreach (var field in fields.Append(Text(root, "order_by") ?? "id"))
        {
            if (!ClientJson.SearchFields.Contains(field))
            {
                throw new BadRequestException($"Недопустимое значение поля: {field}", "fields");
            }
        }

        var filters = new List<Func<SandboxClient, bool>>();
        if (root.TryGetProperty("filters", out var filterArray) && filterArray.ValueKind == JsonValueKind.Array)
        {
            filters.AddRange(filterArray.EnumerateArray().Select(Filter));
        }

        return new ClientSearch(page, pageSize, fields, Text(root, "order_by") ?? "id",
            string.Equals(Text(root, "order_by_direction"), "DESC", StringComparison.OrdinalIgnoreCase),
            string.Equals(Text(root, "operation"), "OR", StringComparison.OrdinalIgnoreCase), filters);
    }

    public IReadOnlyList<SandboxClient> Apply(IReadOnlyList<SandboxClient> clients)
    {
        var matches = clients.Where(c => Filters.Count == 0 || (AnyFilter ? Filters.Any(f => f(c)) : Filters.All(f => f(c))));
        Func<SandboxClient, IComparable?> key = OrderBy switch
        {
            "name" => c => c.DisplayName,
            "phone" => c => c.Phone,
            "email" => c => c.Email,
            "discount" => c => c.Discount,
            "first_visit_date" => c => c.FirstVisit,
            "last_visit_date" => c => c.LastVisit,
            "sold_amount" => c => c.Spent,
            "visits_count" => c => c.SuccessVisits,
            _ => c => c.Id,
        };
        var ordered = Descending ? matches.OrderByDescending(key) : matches.OrderBy(key);
        return [.. ordered.ThenBy(c => c.Id)];
    }

    private static Func<SandboxClient, bool> Filter(JsonElement filter)
    {
        var type = Text(filter, "type");
        var state = filter.TryGetProperty("state", out var s) ? s : default;
        switch (type)
        {
            case "quick_search" when state.ValueKind == JsonValueKind.Object && Text(state, "value") is { Length: > 0 } value:
                var digits = value.TrimStart('+');
                return c => c.DisplayName.Contains(value, StringComparison.OrdinalIgnoreCase)
                    || c.Phone.Contains(digits, StringComparison.Ordinal)
                    || c.Email.Contains(value, StringComparison.OrdinalIgnoreCase);
            case "id" when state.ValueKind == JsonValueKind.Object && state.TryGetProperty("value", out var ids) && ids.ValueKind == JsonValueKind.Array:
                var set = ids.EnumerateArray().Select(IdValue).ToHashSet();
                return c => set.Contains(c.Id);
            default:
                throw new BadRequestException("Недопустимое значение фильтра", "filters");
        }
    }

    private static long IdValue(JsonElement element) =>
        long.TryParse(element.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new BadRequestException("Недопустимое значение фильтра", "filters");

    private static int Int(JsonElement root, string name, int defaultValue) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : root.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out number) ? number
        : defaultValue;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;
}
