using System.Net;
using System.Text.RegularExpressions;
using ConsentHub.Access;
using ConsentHub.Web.Hosting;
using ConsentHub.Web.Security;
using ConsentHub.Web.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Hosting;

/// <summary>The Hangfire dashboard as a trust admin sees it: every schedule in UK time, and the page says so.</summary>
public sealed partial class JobsDashboardTests(WebTestFixture fixture) : IClassFixture<WebTestFixture>
{
    [Fact]
    public async Task TheRecurringJobsPage_ForATrustAdmin_EvaluatesEveryScheduleInUkTime_AndSaysSo()
    {
        _ = fixture.Factory.Server; // starts the host, which registers the recurring jobs
        var admin = await StaffAccounts.CreateAsync(fixture.Factory.Services, StaffRoles.TrustAdmin);
        using var client = await StaffAccounts.SignedInClientAsync(fixture.Factory, admin);

        using var response = await client.GetAsync("/hangfire/recurring");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = WebUtility.HtmlDecode(html);
        // The title, in the browser tab and in the navigation bar of every dashboard page.
        Assert.Contains(JobsDashboard.Title, PageTitle().Match(page).Value, StringComparison.Ordinal);
        Assert.True(Regex.Count(page, Regex.Escape(JobsDashboard.Title)) >= 2, "The dashboard's navigation does not name the zone.");
        Assert.Contains(RecurringJobs.ChaseRun, html, StringComparison.Ordinal);

        // Each job as stored: its cron is evaluated in Europe/London, so the 09:00 chase runs at 09:00 UK time in
        // summer (08:00 UTC) and in winter (09:00 UTC).
        var storage = fixture.Factory.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs();
        Assert.True(jobs.Count >= 10, $"{jobs.Count} recurring jobs.");
        Assert.All(jobs, j => Assert.Equal(RecurringJobs.TimeZone.Id, j.TimeZoneId));
        Assert.Equal("Europe/London", RecurringJobs.TimeZone.Id);
        var chase = jobs.Single(j => j.Id == RecurringJobs.ChaseRun);
        Assert.Equal(Cron.Daily(9), chase.Cron);
        var next = Assert.NotNull(chase.NextExecution);
        Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(next, DateTimeKind.Utc), RecurringJobs.TimeZone)));
    }

    [GeneratedRegex("<title>[^<]*</title>")]
    private static partial Regex PageTitle();
}
