using MyBi.Connectors.YClients.Reading;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class TransactionsWindowTests
{
    [Fact]
    public void Halve_EvenSpan_SplitsIntoAdjacentHalves()
    {
        var (left, right) = TransactionsGroup.Halve(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 4));

        Assert.Equal((new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 2)), left);
        Assert.Equal((new DateOnly(2024, 3, 3), new DateOnly(2024, 3, 4)), right);
    }

    [Fact]
    public void Halve_TwoDays_GivesOneDayEach()
    {
        var (left, right) = TransactionsGroup.Halve(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 2));

        Assert.Equal((new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 1)), left);
        Assert.Equal((new DateOnly(2024, 3, 2), new DateOnly(2024, 3, 2)), right);
    }
}
