namespace MyBi.Abstractions.Connectors;

/// <summary>
/// What a read would cost, found before spending it (<see cref="SourceSession.EstimateAsync"/>): requests per stream,
/// the probe requests the estimate itself spent and the source's configured rate.
/// </summary>
public sealed class SourceEstimate
{
    /// <summary>Creates an estimate.</summary>
    public SourceEstimate(IReadOnlyList<StreamEstimate> streams, long probeRequests, double? requestsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentOutOfRangeException.ThrowIfNegative(probeRequests);
        Streams = streams;
        ProbeRequests = probeRequests;
        RequestsPerMinute = requestsPerMinute is > 0 ? requestsPerMinute : null;
    }

    /// <summary>One entry per requested stream.</summary>
    public IReadOnlyList<StreamEstimate> Streams { get; }

    /// <summary>Requests spent to make the estimate (not part of the read's own).</summary>
    public long ProbeRequests { get; }

    /// <summary>The most requests a minute the source's rate limit allows, or null when unknown or unlimited.</summary>
    public double? RequestsPerMinute { get; }
}

/// <summary>The requests one stream's read is expected to send.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Requests">The expected requests, or null when the connector cannot tell.</param>
/// <param name="Basis">One short line: how the number was found, and whether it is exact or a bound.</param>
public sealed record StreamEstimate(string Stream, long? Requests, string Basis);
