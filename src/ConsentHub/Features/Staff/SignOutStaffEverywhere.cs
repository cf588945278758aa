using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>Ends every session a staff account has open (a lost phone, a shared computer), without disabling it.</summary>
public sealed class SignOutStaffEverywhere(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public async Task<bool> HandleAsync(AccessScope by, Guid userId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return false;
        await StaffAccessGuard.EndSessionsAsync(db, user, ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, by.Actor, "staff.signed-out-everywhere", "StaffUser", user.Id.ToString()), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
