using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Email;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConsentHub.Monitoring;

/// <summary>
/// The daily "monitoring-board-reports" job: for each board meeting due within <see cref="MonitoringOptions.SendDaysBeforeBoard"/>
/// days whose report has not gone, builds the region's report (from the day after the region's previous board, or the
/// start of the term, to yesterday) and e-mails it to the region's directors through the outbox, marking the meeting
/// sent in the same transaction. Idempotent: a sent meeting is skipped, and the business key per meeting and person
/// makes a repeat write nothing. A meeting missed while the job was down is caught up the next day.
/// </summary>
public sealed partial class SendBoardReports(IDbContextFactory<ConsentHubDbContext> factory, BuildBoardReport build, OutboxWriter outbox, IAuditLog audit,
    IOptions<MonitoringOptions> options, TimeProvider clock, ILogger<SendBoardReports> logger)
{
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = UkCalendar.DateOf(now);
        var horizon = today.AddDays(options.Value.SendDaysBeforeBoard);
        List<BoardMeeting> due;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            due = await db.BoardMeetings.AsNoTracking().Where(m => m.ReportSentAt == null && m.Date >= today && m.Date <= horizon).OrderBy(m => m.Date).ToListAsync(cancellationToken);

        var sent = 0;
        foreach (var meeting in due)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var region = await db.Regions.AsNoTracking().SingleAsync(r => r.Id == meeting.RegionId, cancellationToken);
            var previousBoard = await db.BoardMeetings.Where(m => m.RegionId == meeting.RegionId && m.Date < meeting.Date).MaxAsync(m => (DateOnly?)m.Date, cancellationToken);
            var to = today.AddDays(-1);
            var from = previousBoard is { } p && p < to ? p.AddDays(1) : SchoolTerms.Of(to).Start;
            if (to.DayNumber - from.DayNumber >= MonitoringFilter.MaxDays) from = to.AddDays(-(MonitoringFilter.MaxDays - 1));
            var directors = await db.StaffRoleAssignments.Where(a => a.Role == StaffRoles.RegionalDirector && a.RegionId == meeting.RegionId)
                .Join(db.Users.Where(u => !u.Disabled && u.Email != null), a => a.UserId, u => u.Id, (a, u) => new { u.Id, u.Email, u.DisplayName })
                .Distinct().ToListAsync(cancellationToken);

            var report = new MonitoringReport
            {
                Id = Guid.CreateVersion7(),
                RegionId = meeting.RegionId,
                From = from,
                To = to,
                Status = MonitoringReportStatus.Running,
                RequestedBy = BuildBoardReport.Actor,
                RequestedAt = now,
            };
            var output = await build.BuildAsync(report, null, cancellationToken);
            report.Status = MonitoringReportStatus.Ready;
            report.Progress = 100;
            report.Pdf = output.Pdf;
            report.Pages = output.Pages;
            report.FinishedAt = clock.GetUtcNow();

            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            // Claim the meeting first: a second host that built the same report in parallel finds it taken and rolls back.
            var claimed = await db.BoardMeetings.Where(m => m.Id == meeting.Id && m.ReportSentAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.ReportSentAt, now), cancellationToken);
            if (claimed == 0) continue;
            db.MonitoringReports.Add(report);
            await db.SaveChangesAsync(cancellationToken);
            var board = meeting.Date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
            var fileName = $"board-report-{region.Name}-{meeting.Date:yyyy-MM-dd}.pdf".Replace(' ', '-');
            await outbox.WriteAsync(db, [.. directors.Select(d => new OutgoingEmail($"board-report:{meeting.Id}:{d.Id}", d.Email!,
                $"Consent monitoring report for the {region.Name} board on {board}",
                $"""
                Dear {d.DisplayName},

                The photography and video consent report for the {region.Name} Regional Performance Board on {board} is attached.
                It covers {from:d MMMM yyyy} to {to:d MMMM yyyy}. The figures behind it, and the lists behind each figure, are on the
                Monitoring page of ConsentHub, where every table can also be downloaded as CSV.
                """)
            {
                ToName = d.DisplayName,
                Attachments = [new EmailAttachment(fileName, "application/pdf", output.Pdf)],
            })], cancellationToken);
            await audit.AppendAsync(db, new AuditEvent(null, BuildBoardReport.Actor, "monitoring.board-report-sent", "BoardMeeting", meeting.Id.ToString(),
                Data: new Dictionary<string, object?> { ["region"] = meeting.RegionId.ToString(), ["recipients"] = directors.Count, ["report"] = report.Id.ToString() }), cancellationToken);
            await tx.CommitAsync(cancellationToken);
            sent++;
            LogSent(logger, directors.Count, output.Pages);
        }
        return sent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Board report sent to {Recipients} director(s): {Pages} pages")]
    private static partial void LogSent(ILogger logger, int recipients, int pages);
}
