namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Offset pagination with 1-based pages.</summary>
internal static class Paging
{
    public static IReadOnlyList<T> Slice<T>(IReadOnlyList<T> items, int page, int count)
    {
        var skip = (long)(page - 1) * count;
        if (skip >= items.Count)
        {
            return [];
        }

        var take = (int)Math.Min(count, items.Count - skip);
        var result = new T[take];
        for (var i = 0; i < take; i++)
        {
            result[i] = items[(int)skip + i];
        }

        return result;
    }
}
