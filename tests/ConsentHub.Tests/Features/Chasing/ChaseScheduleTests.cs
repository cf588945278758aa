using ConsentHub.Chasing;
using ConsentHub.Consent.Rules;
using ConsentHub.Trust;

namespace ConsentHub.Tests.Chasing;

/// <summary>When reminders fall due and when mail may go out, in UK time across clock changes.</summary>
public sealed class ChaseScheduleTests
{
    private static readonly TimeZoneInfo London = UkCalendar.TimeZone;

    private static DateTimeOffset Uk(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, London.GetUtcOffset(local));
    }

    private static string UkText(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, London).ToString("ddd yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Defaults_AreThreeSevenAndFourteenDaysAfterIssue_FollowUpTwoDaysAfterTheLast()
    {
        var plan = ChaseSchedule.For(ChaseSettings.Default, Uk(2026, 9, 8, 9, 30), new DateOnly(2026, 10, 30));

        Assert.Equal(["Fri 2026-09-11 09:30", "Tue 2026-09-15 09:30", "Tue 2026-09-22 09:30"], plan.Reminders.Select(UkText));
        Assert.Equal("Thu 2026-09-24 09:30", UkText(plan.FollowUpAt));
        Assert.Equal(0, plan.DueAt(Uk(2026, 9, 11, 9, 29)));
        Assert.Equal(1, plan.DueAt(Uk(2026, 9, 11, 9, 30)));
        Assert.Equal(3, plan.DueAt(Uk(2026, 10, 1, 9, 0)));
    }

    [Fact]
    public void RemindersAfterTheDeadline_AreDropped_AndTheFollowUpComesByTheDeadline()
    {
        var plan = ChaseSchedule.For(ChaseSettings.Default, Uk(2026, 9, 8, 9, 0), new DateOnly(2026, 9, 18));

        Assert.Equal(["Fri 2026-09-11 09:00", "Tue 2026-09-15 09:00"], plan.Reminders.Select(UkText));
        Assert.Equal("Thu 2026-09-17 09:00", UkText(plan.FollowUpAt));

        var tight = ChaseSchedule.For(ChaseSettings.Default, Uk(2026, 9, 8, 9, 0), new DateOnly(2026, 9, 9));
        Assert.Empty(tight.Reminders);
        Assert.Equal("Thu 2026-09-10 00:00", UkText(tight.FollowUpAt));
    }

    [Fact]
    public void BeforeTheDeadline_CountsBackFromTheDeadlineDay_AtTheHourOfIssue()
    {
        var settings = ChaseSettings.Default with { Anchor = ChaseAnchor.BeforeDeadline, OffsetsDays = [3, 14, 7] };

        var plan = ChaseSchedule.For(settings, Uk(2026, 9, 1, 10, 0), new DateOnly(2026, 9, 30));

        Assert.Equal(["Wed 2026-09-16 10:00", "Wed 2026-09-23 10:00", "Sun 2026-09-27 10:00"], plan.Reminders.Select(UkText));
        Assert.Equal("Tue 2026-09-29 10:00", UkText(plan.FollowUpAt));
    }

    [Fact]
    public void AReminderKeepsItsUkHour_AcrossTheAutumnClockChange()
    {
        // Clocks go back on Sunday 25 October 2026: 09:00 BST is 08:00Z, 09:00 GMT is 09:00Z.
        var plan = ChaseSchedule.For(ChaseSettings.Default, Uk(2026, 10, 22, 9, 0), new DateOnly(2026, 12, 1));

        Assert.Equal(new DateTimeOffset(2026, 10, 22, 8, 0, 0, TimeSpan.Zero), Uk(2026, 10, 22, 9, 0).ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 9, 0, 0, TimeSpan.Zero), plan.Reminders[0].ToUniversalTime());
    }

    [Theory]
    [InlineData("2026-10-06 20:59", "Tue 2026-10-06 20:59")] // before quiet hours: now
    [InlineData("2026-10-06 21:00", "Wed 2026-10-07 07:00")] // quiet from 21:00
    [InlineData("2026-10-07 03:15", "Wed 2026-10-07 07:00")] // after midnight: the same morning
    [InlineData("2026-10-07 07:00", "Wed 2026-10-07 07:00")] // quiet until 07:00
    [InlineData("2026-10-10 23:00", "Sun 2026-10-11 07:00")] // weekends allowed by default
    [InlineData("2026-10-24 23:30", "Sun 2026-10-25 07:00")] // the night the clocks go back
    [InlineData("2026-03-28 22:00", "Sun 2026-03-29 07:00")] // the night the clocks go forward
    public void NextSendTime_SkipsQuietHours_InUkTime(string ukNow, string expected)
    {
        var at = DateTime.ParseExact(ukNow, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

        var next = ChaseSchedule.NextSendTime(Uk(at.Year, at.Month, at.Day, at.Hour, at.Minute), ChaseSettings.Default);

        Assert.Equal(expected, UkText(next));
    }

    [Theory]
    [InlineData("2026-10-09 21:30", "Mon 2026-10-12 07:00")] // Friday night
    [InlineData("2026-10-10 12:00", "Mon 2026-10-12 07:00")] // Saturday noon
    [InlineData("2026-10-11 23:00", "Mon 2026-10-12 07:00")] // Sunday night
    [InlineData("2026-10-12 06:00", "Mon 2026-10-12 07:00")]
    [InlineData("2026-10-09 14:00", "Fri 2026-10-09 14:00")]
    public void NextSendTime_WithWeekendsOff_WaitsForMondayMorning(string ukNow, string expected)
    {
        var at = DateTime.ParseExact(ukNow, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

        var next = ChaseSchedule.NextSendTime(Uk(at.Year, at.Month, at.Day, at.Hour, at.Minute), ChaseSettings.Default with { SkipWeekends = true });

        Assert.Equal(expected, UkText(next));
    }

    [Fact]
    public void Validate_NamesEachBadSetting()
    {
        var errors = (ChaseSettings.Default with { OffsetsDays = [3, 3], QuietFrom = new TimeOnly(7, 0), FollowUpAfterDays = -1 }).Validate();

        Assert.Equal(["followUpAfterDays", "offsets", "quietHours"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(ChaseSettings.Default.Validate());
    }

    [Fact]
    public void Split_DealsAcademiesIntoAtMostTheMaximumNumberOfBatches_EachOnce()
    {
        var academies = Enumerable.Range(0, 250).Select(_ => Guid.NewGuid()).ToList();

        var batches = RunChase.Split(academies, RunChase.MaxBatchJobs);

        Assert.Equal(100, batches.Count);
        Assert.Equal(academies.Order(), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.InRange(b.Length, 2, 3));
        Assert.Equal(3, RunChase.Split(academies.Take(3).ToList(), RunChase.MaxBatchJobs).Count);
    }
}
