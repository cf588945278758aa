using System.Linq.Expressions;
using ConsentHub.Data;
using ConsentHub.Pupils;

namespace ConsentHub.Access;

/// <summary>The same scope rule as <see cref="AccessScope.SqlCondition"/>, for EF queries.</summary>
public static class ScopeFilter
{
    public static Expression<Func<Pupil, bool>> Pupils(ConsentHubDbContext db, AccessScope scope)
    {
        var id = scope.Id;
        return scope.Level switch
        {
            ScopeLevel.Trust => p => true,
            ScopeLevel.Region => p => db.Academies.Any(a => a.Id == p.AcademyId && a.RegionId == id),
            _ => p => p.AcademyId == id,
        };
    }

    public static Expression<Func<Trust.Academy, bool>> Academies(AccessScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var id = scope.Id;
        return scope.Level switch
        {
            ScopeLevel.Trust => a => true,
            ScopeLevel.Region => a => a.RegionId == id,
            _ => a => a.Id == id,
        };
    }
}
