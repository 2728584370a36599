namespace MyBi.Engine.State;

/// <summary>What owns a table: a stream, a report job, or a rule (named by the stream or report job it transforms).</summary>
public sealed record TableOwner
{
    private const string Anyone = "*";

    private TableOwner(string pipeline, string kind, string name)
    {
        Pipeline = pipeline;
        Kind = kind;
        Name = name;
    }

    /// <summary>The pipeline, or * when every pipeline's report jobs share the table.</summary>
    public string Pipeline { get; }

    /// <summary>stream, report or rule.</summary>
    public string Kind { get; }

    /// <summary>The stream, the report job, or stream:NAME / report:NAME for a rule.</summary>
    public string Name { get; }

    /// <summary>
    /// A connector stream's table. Any pipeline may load the same stream into it: rows of one stream have one shape
    /// and merge by their key, so the stream, not the pipeline, is the owner.
    /// </summary>
    public static TableOwner Stream(string pipeline, string stream) => new(pipeline, "stream", stream);

    /// <summary>A connector's analysis view; like a stream's table, every pipeline of that connector shares it.</summary>
    public static TableOwner View(string pipeline, string view) => new(pipeline, "view", view);

    /// <summary>A fixed-structure report job's own table.</summary>
    public static TableOwner Report(string pipeline, string job) => new(pipeline, "report", job);

    /// <summary>The JSON table every report job without a structure of its own writes, keyed by job name.</summary>
    public static TableOwner SharedReports { get; } = new(Anyone, "report", Anyone);

    /// <summary>A table a rule declares; <paramref name="of"/> is "stream" or "report".</summary>
    public static TableOwner Rule(string pipeline, string of, string name) => new(pipeline, "rule", $"{of}:{name}");

    /// <summary>Reads a stored owner.</summary>
    public static TableOwner Stored(string pipeline, string kind, string name) => new(pipeline, kind, name);

    /// <summary>Whether a run of this owner may write a table that <paramref name="recorded"/> owns.</summary>
    public bool MayWrite(TableOwner recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return Kind == recorded.Kind && Name == recorded.Name && (Kind is "stream" or "view" || Pipeline == recorded.Pipeline);
    }

    /// <summary>"report job 'Money in' of pipeline 'salon'".</summary>
    public override string ToString() => Kind switch
    {
        "stream" => $"stream '{Name}'",
        "view" => $"view '{Name}'",
        "report" when Pipeline == Anyone => "the report table all report jobs share",
        "report" => $"report job '{Name}' of pipeline '{Pipeline}'",
        "rule" when Name.IndexOf(':', StringComparison.Ordinal) is var at and > 0 =>
            $"the rule of {(Name[..at] == "report" ? "report job" : "stream")} '{Name[(at + 1)..]}' of pipeline '{Pipeline}'",
        _ => $"{Kind} '{Name}' of pipeline '{Pipeline}'",
    };
}
