using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.PaperReturns;

/// <summary>
/// The uses printed on a form version: the active purposes it has wording for, in the form's order (every active
/// purpose for a version with no wording). Finding a returned form and recording it read the same list, so the page
/// asks for exactly what the recording requires.
/// </summary>
internal static class FormUses
{
    public static async Task<List<Purpose>> OfAsync(ConsentHubDbContext db, Guid formVersionId, CancellationToken ct)
    {
        var purposes = await db.FormWordings.AsNoTracking().Where(w => w.FormVersionId == formVersionId)
            .Join(db.Purposes.Where(p => p.Active), w => w.PurposeId, p => p.Id, (w, p) => p)
            .Distinct().ToListAsync(ct);
        if (purposes.Count == 0) purposes = await db.Purposes.AsNoTracking().Where(p => p.Active).ToListAsync(ct);
        return [.. purposes.OrderBy(p => p.SortOrder).ThenBy(p => p.Name, StringComparer.Ordinal)];
    }
}
