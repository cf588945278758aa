using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Chasing;

/// <summary>
/// "Send reminders now" on the open requests page: the office runs the chase for its academy at once, on the same
/// path as the daily run (one <see cref="ChaseAcademies"/> job). Only reminders that are due are written, and
/// still none in quiet hours: it does not nag anyone early.
/// </summary>
public sealed class ChaseAcademyNow(IDbContextFactory<ConsentHubDbContext> factory, IBackgroundJobClient jobs, IAuditLog audit)
{
    public abstract record Result
    {
        public sealed record Queued : Result;
        public sealed record NotFound : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await factory.CreateDbContextAsync(ct);
        var inScope = await db.Academies.Where(a => a.Id == academyId).Where(ScopeFilter.Academies(scope)).AnyAsync(ct);
        if (!inScope) return new Result.NotFound();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(academyId, scope.Actor, "chase.requested", "Academy", academyId.ToString()), ct);
        await tx.CommitAsync(ct);
        jobs.Enqueue<ChaseAcademies>(job => job.RunAsync(new[] { academyId }, CancellationToken.None));
        return new Result.Queued();
    }
}
