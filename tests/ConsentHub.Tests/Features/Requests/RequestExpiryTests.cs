using ConsentHub.Consent.Rules;
using ConsentHub.Requests;

namespace ConsentHub.Tests.Requests;

/// <summary>A link works to the end of the deadline day as a UK parent sees it, whatever the season.</summary>
public sealed class RequestExpiryTests
{
    [Theory]
    [InlineData("2026-07-01", "2026-06-30T23:00:00+00:00")] // British Summer Time: midnight is 23:00 UTC the day before
    [InlineData("2026-12-01", "2026-12-01T00:00:00+00:00")]
    [InlineData("2027-03-28", "2027-03-28T00:00:00+00:00")] // the clocks go forward at 01:00 that day, after midnight
    [InlineData("2026-10-25", "2026-10-24T23:00:00+00:00")] // and back at 02:00
    public void TheUkDay_BeginsAtLondonMidnight_GivenInUtc(string date, string expected)
    {
        var start = UkCalendar.StartOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), start);
        // Offset zero: PostgreSQL's timestamptz takes nothing else, so a summer deadline's expiry can be stored.
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void TheDeadline_IsWrittenOutInTheEmailsLanguage()
    {
        var friday = new DateOnly(2026, 9, 18);
        Assert.Equal("Friday 18 September 2026", RequestEmails.FormatDeadline(friday, "en"));
        Assert.Equal("piątek, 18 września 2026", RequestEmails.FormatDeadline(friday, "pl"));
    }
}
