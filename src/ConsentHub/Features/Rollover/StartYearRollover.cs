using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Rollover;

/// <summary>
/// The daily recurring job: on the trust's academic-year start date (a UK date; default 1 September) it fans out
/// one <see cref="RunRollover"/> job per academy. On other days it does nothing. Running it twice on the day is
/// harmless: each academy's year-start run happens once (<see cref="RunRollover.Result.AlreadyRanToday"/>).
/// </summary>
public sealed class StartYearRollover(IDbContextFactory<ConsentHubDbContext> factory, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <returns>How many academy runs were enqueued (0 on any other day).</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var trust = await db.Trusts.AsNoTracking().FirstOrDefaultAsync(ct);
        if (trust is null) return 0;
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        if (today.Month != trust.AcademicYearStartMonth || today.Day != trust.AcademicYearStartDay) return 0;
        var academies = await db.Academies.AsNoTracking().OrderBy(a => a.Name).Select(a => a.Id).ToListAsync(ct);
        foreach (var id in academies)
            jobs.Enqueue<RunRollover>(job => job.RunAsync(id, RolloverTrigger.YearStart, RunRollover.SystemActor, CancellationToken.None));
        return academies.Count;
    }
}
