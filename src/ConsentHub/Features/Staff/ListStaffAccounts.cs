using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Staff;

/// <summary>Every staff account with its roles, for the trust's administrators.</summary>
public sealed class ListStaffAccounts(IDbContextFactory<ConsentHubDbContext> factory)
{
    public sealed record Row(Guid Id, string DisplayName, string? Email, bool Disabled, IReadOnlyList<string> Roles);

    public async Task<IReadOnlyList<Row>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().Include(u => u.Assignments).OrderBy(u => u.DisplayName).ToListAsync(ct);
        return [.. users.Select(u => new Row(u.Id, u.DisplayName, u.Email, u.Disabled, [.. u.Assignments.Select(a => a.Role).Distinct().Order()]))];
    }
}
