namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>Seeded randomness for the generator; the seeded <see cref="Random"/> algorithm is stable across runs.</summary>
internal sealed class GenerationRandom(int seed)
{
    private readonly Random _random = new(seed);

    public bool Chance(double probability) => _random.NextDouble() < probability;

    /// <summary>Inclusive range.</summary>
    public int Between(int min, int max) => _random.Next(min, max + 1);

    public double NextDouble() => _random.NextDouble();

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Index skewed towards the start, so a few clients come often and many rarely.</summary>
    public int SkewedIndex(int count) => Math.Min(count - 1, (int)(count * Math.Pow(_random.NextDouble(), 2)));
}
