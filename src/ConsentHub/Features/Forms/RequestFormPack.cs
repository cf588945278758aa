using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Forms;

/// <summary>
/// Office staff ask for a printable pack of consent forms for a class, a year group or the whole academy; a
/// background job builds it (<see cref="BuildFormPack"/>) while the page shows its progress.
/// </summary>
public sealed class RequestFormPack(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit, IBackgroundJobClient jobs, TimeProvider clock)
{
    public sealed record Request(Guid AcademyId, int? YearGroup, string? RegistrationGroup, bool OnlyWithoutEmail);

    public abstract record Result
    {
        public sealed record Queued(Guid PackId, int Forms) : Result;
        public sealed record Invalid(string Message) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var group = string.IsNullOrWhiteSpace(request.RegistrationGroup) ? null : request.RegistrationGroup.Trim();
        if (group is { Length: > 20 }) return new Result.Invalid("A class name is at most 20 characters.");
        if (request.YearGroup is < -2 or > 14) return new Result.Invalid("Choose a year group from Nursery to Year 14.");

        await using var db = await factory.CreateDbContextAsync(ct);
        var academy = await db.Academies.AsNoTracking().Where(a => a.Id == request.AcademyId).Where(ScopeFilter.Academies(scope))
            .Select(a => new { a.Id, a.Name }).FirstOrDefaultAsync(ct);
        if (academy is null) return new Result.Invalid("Choose one of your academies.");

        var now = clock.GetUtcNow();
        var open = db.SignatureRequests.Where(r => r.AcademyId == academy.Id && r.Status == Requests.RequestStatus.Open && r.ExpiresAt > now)
            .Join(db.Pupils.Where(p => p.LeftOn == null), r => r.PupilId, p => p.Id, (r, p) => new { r, p });
        if (request.YearGroup is { } year) open = open.Where(x => x.p.YearGroup == year);
        if (group is not null) open = open.Where(x => x.p.RegistrationGroup == group);
        var count = await open.CountAsync(ct);
        if (count == 0)
            return new Result.Invalid($"No one at {academy.Name} has an open request{(group is not null ? $" in class {group}" : request.YearGroup is { } y ? $" in {new Consent.YearGroup(y).DisplayName}" : "")}: issue the form first.");

        var description = (group is not null ? $"Class {group}" : request.YearGroup is { } yg ? new Consent.YearGroup(yg).DisplayName : "Whole academy")
            + (request.OnlyWithoutEmail ? ", only those without email" : ", everyone asked");
        var pack = new FormPack
        {
            Id = Guid.NewGuid(),
            AcademyId = academy.Id,
            YearGroup = request.YearGroup,
            RegistrationGroup = group,
            OnlyWithoutEmail = request.OnlyWithoutEmail,
            Description = description,
            RequestedBy = scope.Actor,
            RequestedAt = now,
            Status = FormPackStatus.Queued,
            ExpiresAt = now + FormPack.Lifetime,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.FormPacks.Add(pack);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, new AuditEvent(academy.Id, scope.Actor, "forms.pack-requested", "FormPack", pack.Id.ToString(),
                Data: new Dictionary<string, object?> { ["selection"] = description }), ct);
            await tx.CommitAsync(ct);
        }
        // After the commit, so the job always finds its row.
        jobs.Enqueue<BuildFormPack>(job => job.RunAsync(pack.Id, CancellationToken.None));
        return new Result.Queued(pack.Id, count);
    }
}
