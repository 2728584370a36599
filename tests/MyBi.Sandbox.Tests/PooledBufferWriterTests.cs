using MyBi.Connectors.YClients.Sandbox.Json;

namespace MyBi.Sandbox.Tests;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Writes_AcrossGrowth_KeepEveryByteInOrder()
    {
        var random = new Random(20261208);
        var expected = new List<byte>();
        using var writer = new PooledBufferWriter(16);
        while (expected.Count < 300_000)
        {
            var chunk = new byte[random.Next(1, 5_000)];
            random.NextBytes(chunk);
            var span = writer.GetSpan(chunk.Length);
            Assert.True(span.Length >= chunk.Length);
            chunk.CopyTo(span);
            writer.Advance(chunk.Length);
            expected.AddRange(chunk);
        }

        Assert.Equal(expected.Count, writer.WrittenCount);
        Assert.Equal(expected, writer.WrittenMemory.ToArray());
    }

    [Fact]
    public void Advance_PastWhatWasHandedOut_Throws_AndADisposedWriterRefusesMore()
    {
        var writer = new PooledBufferWriter(16);
        var free = writer.GetSpan().Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(free + 1));
        writer.Dispose();
        Assert.Equal(0, writer.WrittenCount);
        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan(1));
    }
}
