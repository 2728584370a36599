namespace MyBi.Pipelines.Internal;

/// <summary>
/// The secret values of one pipeline. Shared by the document and the definition, so that secrets found while
/// validating against a plugin's schema later still reach whoever redacts output.
/// </summary>
internal sealed class SecretSet : IReadOnlyCollection<string>
{
    /// <summary>Shorter values would redact ordinary text ("1", "yes") all over the output.</summary>
    public const int MinLength = 4;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _values.Count;
            }
        }
    }

    public void Add(string value)
    {
        if (value.Length < MinLength)
        {
            return;
        }

        lock (_lock)
        {
            _values.Add(value);
        }
    }

    /// <summary>Adds the value and, for a connection string, its password on its own (drivers may echo it alone).</summary>
    public void AddWithParts(string value)
    {
        Add(value);
        if (!value.Contains('=', StringComparison.Ordinal))
        {
            return;
        }

        foreach (var pair in value.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair[..equals].Trim().ToUpperInvariant() is "PASSWORD" or "PWD")
            {
                Add(pair[(equals + 1)..].Trim().Trim('"', '\''));
            }
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        string[] snapshot;
        lock (_lock)
        {
            snapshot = [.. _values];
        }

        return ((IEnumerable<string>)snapshot).GetEnumerator();
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
