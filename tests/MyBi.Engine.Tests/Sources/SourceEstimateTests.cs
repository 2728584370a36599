using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Streams;

namespace MyBi.Engine.Tests.Sources;

/// <summary>The contract's default estimate: a connector that gives none says so per stream and spends nothing.</summary>
public sealed class SourceEstimateTests
{
    [Fact]
    public async Task EstimateAsync_ConnectorWithoutEstimate_EveryStreamUnknownNoProbes()
    {
        await using var session = new SilentSession();

        var estimate = await session.EstimateAsync(new ReadRequest { Streams = ["a", "b"] });

        Assert.Equal(["a", "b"], estimate.Streams.Select(s => s.Stream));
        Assert.All(estimate.Streams, s => Assert.Null(s.Requests));
        Assert.All(estimate.Streams, s => Assert.StartsWith("unknown", s.Basis, StringComparison.Ordinal));
        Assert.Equal(0, estimate.ProbeRequests);
        Assert.Null(estimate.RequestsPerMinute);
    }

    [Fact]
    public void SourceEstimate_NoRate_IsNullNotZero()
    {
        Assert.Null(new SourceEstimate([], 0, 0).RequestsPerMinute);
        Assert.Equal(200, new SourceEstimate([], 3, 200).RequestsPerMinute);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceEstimate([], -1, null));
    }

    private sealed class SilentSession : SourceSession
    {
        public override IAsyncEnumerable<SourceMessage> ReadAsync(ReadRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("an estimate must not read");
    }
}
