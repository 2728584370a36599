using System.Text.Json.Nodes;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Tests.Support;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class CompanyClockTests
{
    [Fact]
    public void FromCompany_IanaZoneName_PlacesNaiveTimeAtItsOffset()
    {
        var company = Samples.Json("companies_list_my.json")["data"]![0]!.AsObject();

        var clock = CompanyClock.FromCompany(company);

        Assert.True(clock.IsKnown);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.FromHours(3)), clock.ToOffset(new DateTime(2024, 3, 1, 15, 0, 0)));
    }

    [Fact]
    public void FromCompany_TimezoneAsHourNumber_IsAFixedOffset()
    {
        var company = Samples.Json("document_single.json")["data"]!["company"]!.AsObject();

        var clock = CompanyClock.FromCompany(company);

        Assert.Equal(TimeSpan.FromHours(3), clock.ToOffset(new DateTime(2024, 7, 1, 12, 0, 0)).Offset);
    }

    [Theory]
    [InlineData("Europe/Moscow", "Europe/Moscow")]
    [InlineData("+05:00", "Etc/GMT-5")]
    [InlineData("-3", "Etc/GMT+3")]
    [InlineData("0", "UTC")]
    [InlineData("+05:30", null)]
    [InlineData("Nowhere/Atlantis", null)]
    public void IanaId_NamesTheZoneForSchedules(string timezone, string? expected)
    {
        var clock = CompanyClock.FromCompany(new JsonObject { ["timezone"] = timezone });

        Assert.Equal(expected, clock.IanaId);
        if (expected is not null)
        {
            // The name stands for the same offset as the clock.
            var instant = new DateTimeOffset(2024, 1, 10, 8, 0, 0, TimeSpan.Zero);
            Assert.Equal(clock.Local(instant).Offset, TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(expected)).Offset);
        }
    }

    [Theory]
    [InlineData("+05:00", 5)]
    [InlineData("9", 9)]
    [InlineData("Asia/Yekaterinburg", 5)]
    public void FromCompany_OtherZoneForms_AreUnderstood(string timezone, int hours)
    {
        var clock = CompanyClock.FromCompany(new JsonObject { ["timezone"] = timezone });

        Assert.Equal(TimeSpan.FromHours(hours), clock.ToOffset(new DateTime(2024, 1, 10, 8, 0, 0)).Offset);
    }

    [Fact]
    public void FromCompany_NoZone_FallsBackToUtcAndSaysSo()
    {
        var clock = CompanyClock.FromCompany(new JsonObject { ["timezone"] = "Mars/Olympus" });

        Assert.False(clock.IsKnown);
        Assert.Equal(TimeSpan.Zero, clock.ToOffset(new DateTime(2024, 1, 10, 8, 0, 0)).Offset);
    }

    [Fact]
    public void Today_LateUtcEvening_IsNextDayInVladivostok()
    {
        var clock = CompanyClock.FromCompany(new JsonObject { ["timezone"] = "Asia/Vladivostok" });

        Assert.Equal(new DateOnly(2024, 3, 2), clock.Today(new DateTimeOffset(2024, 3, 1, 20, 0, 0, TimeSpan.Zero)));
    }
}
