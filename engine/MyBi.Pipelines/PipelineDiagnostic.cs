namespace MyBi.Pipelines;

/// <summary>
/// One problem in a pipeline file, positioned in the file. Messages name paths and kinds of problems, never values,
/// so they are safe to print even when the value is a secret.
/// </summary>
public sealed class PipelineDiagnostic
{
    /// <summary>Creates an error.</summary>
    public PipelineDiagnostic(string file, int line, int column, string path, string message)
    {
        File = file;
        Line = line;
        Column = column;
        Path = path;
        Message = message;
    }

    /// <summary>The file as the user named it.</summary>
    public string File { get; }

    /// <summary>1-based line; 0 when the problem concerns the whole file (e.g. it does not exist).</summary>
    public int Line { get; }

    /// <summary>1-based column; 0 together with <see cref="Line"/> 0.</summary>
    public int Column { get; }

    /// <summary>The place in the document, e.g. <c>source.config.company_id</c> or <c>reports[0].name</c>.</summary>
    public string Path { get; }

    /// <summary>What is wrong, in a few words.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {Path}: {Message}";
}
