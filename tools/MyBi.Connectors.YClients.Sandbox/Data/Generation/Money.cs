namespace MyBi.Connectors.YClients.Sandbox.Data.Generation;

/// <summary>The money arithmetic of the dataset, written once so that tests and data agree.</summary>
internal static class Money
{
    /// <summary><paramref name="gross"/> less a percentage discount, rounded to kopecks (midpoint away from zero).</summary>
    public static decimal Discounted(decimal gross, decimal discountPercent) =>
        Normalize(decimal.Round(gross * (1 - discountPercent / 100m), 2, MidpointRounding.AwayFromZero));

    /// <summary>Drops trailing zeros so 8010.00 is served as 8010.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
