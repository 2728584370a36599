using System.Text.Json.Nodes;

namespace MyBi.Abstractions.Streams;

/// <summary>One item a source session yields: a row, a checkpoint or a warning.</summary>
public abstract class SourceMessage
{
    private protected SourceMessage()
    {
    }
}

/// <summary>A row of a stream, shaped as the stream's JSON Schema describes (extra properties are ignored).</summary>
public sealed class SourceRecord : SourceMessage
{
    /// <summary>Creates a row.</summary>
    public SourceRecord(string stream, JsonObject data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentNullException.ThrowIfNull(data);
        Stream = stream;
        Data = data;
    }

    /// <summary>The stream name.</summary>
    public string Stream { get; }

    /// <summary>The row.</summary>
    public JsonObject Data { get; }

    /// <summary>
    /// More rows of the same source object follow (a record's service lines before the record itself). The engine
    /// never ends a batch inside such a group, so a stop between batches (a spent row quota) keeps an object
    /// and its lines together.
    /// </summary>
    public bool GroupContinues { get; init; }
}

/// <summary>
/// The connector's whole state after every row yielded before it. The engine commits those rows to the
/// destination first and only then stores this state, so a run killed at any point resumes without gaps.
/// </summary>
public sealed class SourceCheckpoint : SourceMessage
{
    /// <summary>Creates a checkpoint.</summary>
    public SourceCheckpoint(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
    }

    /// <summary>The state, opaque to the engine.</summary>
    public JsonObject State { get; }
}

/// <summary>A problem that does not stop the run (e.g. one company of several has no rights).</summary>
public sealed class SourceWarning : SourceMessage
{
    /// <summary>Creates a warning.</summary>
    public SourceWarning(string message, string? stream = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        Message = message;
        Stream = stream;
    }

    /// <summary>One line for the user; no secrets.</summary>
    public string Message { get; }

    /// <summary>The stream concerned, if any.</summary>
    public string? Stream { get; }
}
