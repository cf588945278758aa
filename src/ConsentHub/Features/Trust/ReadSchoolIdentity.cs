using System.Security.Cryptography;
using System.Text;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace ConsentHub.Trust;

/// <summary>
/// Who a parent is dealing with: the school's name and, when the trust has uploaded one, the key of its crest.
/// The key is a hash of the academy and the logo's last change, so the public crest address names no academy,
/// cannot be guessed from another, and changes when the logo does (the image can be cached for good).
/// </summary>
/// <param name="CrestKey">The crest's key for <see cref="ReadSchoolCrest"/>; null when the academy has no logo.</param>
/// <param name="OfficePhone">The school office's telephone number, when the trust has recorded one.</param>
/// <param name="OfficeEmail">The school office's email address, when the trust has recorded one.</param>
public sealed record SchoolIdentity(string Name, string? CrestKey, string? OfficePhone = null, string? OfficeEmail = null)
{
    public bool HasOfficeContact => OfficePhone is not null || OfficeEmail is not null;

    /// <summary>The crest's address under the public base address, e.g. <c>school-crest/3q2….png</c>.</summary>
    public string? CrestPath => CrestKey is null ? null : $"school-crest/{CrestKey}.png";
}

/// <summary>
/// The school's name, crest key and office contact for a public page or an email: the academy's, or the trust's name when the page
/// belongs to no academy yet (the short-code and lost-link pages). Nothing personal is read; kept for five minutes.
/// </summary>
public sealed class ReadSchoolIdentity(IDbContextFactory<ConsentHubDbContext> factory, IMemoryCache cache)
{
    public async Task<SchoolIdentity> HandleAsync(Guid? academyId, CancellationToken ct = default)
    {
        var found = await cache.GetOrCreateAsync(("school-identity", academyId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            await using var db = await factory.CreateDbContextAsync(ct);
            if (academyId is { } id)
            {
                var academy = await db.Academies.AsNoTracking().Where(a => a.Id == id)
                    .Select(a => new { a.Name, a.OfficePhone, a.OfficeEmail, Logo = db.AcademyLogos.Where(l => l.AcademyId == a.Id).Select(l => (DateTimeOffset?)l.UpdatedAt).FirstOrDefault() })
                    .FirstOrDefaultAsync(ct);
                if (academy is not null) return new SchoolIdentity(academy.Name, academy.Logo is { } at ? CrestKey(id, at) : null, academy.OfficePhone, academy.OfficeEmail);
            }
            var trust = await db.Trusts.AsNoTracking().OrderBy(t => t.Name).Select(t => t.Name).FirstOrDefaultAsync(ct);
            return new SchoolIdentity(trust ?? "", null);
        });
        return found!;
    }

    /// <summary>A URL-safe hash of the academy and the logo's version: 22 characters, 128 bits.</summary>
    public static string CrestKey(Guid academyId, DateTimeOffset updatedAt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"crest:{academyId:N}:{updatedAt.UtcTicks}"));
        return Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
