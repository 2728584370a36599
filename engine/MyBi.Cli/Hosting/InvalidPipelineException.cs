namespace MyBi.Cli.Hosting;

/// <summary>A pipeline file with problems; each line is printed as it is.</summary>
internal sealed class InvalidPipelineException : Exception
{
    public InvalidPipelineException(IReadOnlyList<string> lines)
        : base(string.Join(Environment.NewLine, lines))
    {
        Lines = lines;
    }

    public IReadOnlyList<string> Lines { get; }
}
