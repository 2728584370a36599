namespace MyBi.Pipelines;

/// <summary>The <c>reconcile</c> block: which streams are compared with the source, over how many days.</summary>
public sealed class ReconcileDefinition
{
    /// <summary>The period compared when none is given.</summary>
    public const int DefaultWindowDays = 30;

    /// <summary>Differing rows named per day and table when the file does not say.</summary>
    public const int DefaultMaxNamedRows = 20;

    /// <summary>The streams compared when the file names none (those of them the pipeline loads).</summary>
    public static IReadOnlyList<string> DefaultStreams { get; } = ["records", "record_services", "record_goods", "finance_transactions", "goods_transactions"];

    internal ReconcileDefinition(IReadOnlyList<string> streams, int windowDays, bool reload, int maxNamedRows)
    {
        Streams = streams;
        WindowDays = windowDays;
        Reload = reload;
        MaxNamedRows = maxNamedRows;
    }

    /// <summary>The streams named in the file; empty means the default streams the pipeline loads.</summary>
    public IReadOnlyList<string> Streams { get; }

    /// <summary>Days compared, up to today, when no period is given.</summary>
    public int WindowDays { get; }

    /// <summary>Whether differing days are loaded again and checked a second time.</summary>
    public bool Reload { get; }

    /// <summary>Differing rows named per day and table; the rest are counted.</summary>
    public int MaxNamedRows { get; }
}
