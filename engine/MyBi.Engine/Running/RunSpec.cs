using MyBi.Engine.State;

namespace MyBi.Engine.Running;

/// <summary>What an <see cref="EngineRun"/> is recorded as and held to.</summary>
public sealed record RunSpec
{
    /// <summary>The pipeline; runs, state and the row quota are kept under it.</summary>
    public required string Pipeline { get; init; }

    /// <summary>What runs: sync, report:NAME, and so on; stored in <c>_mybi_runs.kind</c>.</summary>
    public string Kind { get; init; } = "sync";

    /// <summary>Plan limits: the history depth of the period, the monthly row quota of every batch.</summary>
    public PlanLimits Plan { get; init; } = PlanLimits.Unlimited;

    /// <summary>Masks the pipeline's secrets in the run message stored in the destination.</summary>
    public SecretRedactor Redactor { get; init; } = SecretRedactor.None;

    /// <summary>The clock of the run's records and of the delays between write retries.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Hears of rows written, warnings and checkpoints.</summary>
    public RunObserver Observer { get; init; } = RunObserver.None;
}
