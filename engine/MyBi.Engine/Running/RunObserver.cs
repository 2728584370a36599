using MyBi.Abstractions.Connectors;

namespace MyBi.Engine.Running;

/// <summary>Progress of a run, for terminals and tests. Source progress (pages, requests) arrives through the base class.</summary>
public abstract class RunObserver : SourceObserver
{
    /// <summary>An observer that ignores everything.</summary>
    public static new RunObserver None { get; } = new NoneRunObserver();

    /// <summary>A batch was committed to a table.</summary>
    public virtual void OnRowsWritten(string table, int rows, long tableTotal)
    {
    }

    /// <summary>The source reported a problem that does not stop the run.</summary>
    public virtual void OnWarning(string message)
    {
    }

    /// <summary>State was stored after a checkpoint.</summary>
    public virtual void OnCheckpoint()
    {
    }

    private sealed class NoneRunObserver : RunObserver
    {
    }
}
