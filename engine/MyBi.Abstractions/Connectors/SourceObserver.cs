namespace MyBi.Abstractions.Connectors;

/// <summary>Receives progress from a connector while it reads, for progress display and counters.</summary>
public abstract class SourceObserver
{
    /// <summary>An observer that ignores everything.</summary>
    public static SourceObserver None { get; } = new NoneObserver();

    /// <summary>Called after each page (API request) of a stream that returned rows.</summary>
    public virtual void OnPage(string stream, int rows)
    {
    }

    /// <summary>Called for every HTTP request the connector sends, including retries.</summary>
    public virtual void OnRequest(string stream)
    {
    }

    /// <summary>
    /// Called when the source has said how many pages one read of a stream will take (for example a first page that
    /// carries the total count), so progress can show what is left. Each call adds to what was announced before.
    /// </summary>
    public virtual void OnPagesExpected(string stream, long pages)
    {
    }

    private sealed class NoneObserver : SourceObserver
    {
    }
}
