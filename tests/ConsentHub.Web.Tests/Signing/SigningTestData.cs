using ConsentHub.Api;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>Builders the signing tests share: a trust with registered accounts, answers for every purpose, an API key.</summary>
public static class SigningTestData
{
    public static async Task<TestTrust> TrustAsync(ConsentHubDbContext db)
    {
        var trust = await TestTrust.CreateAsync(db);
        // The accounts a withdrawal in the north academy must reach (academy, region, trust-wide), one closed
        // account and one in the south that must not get a task.
        db.AffiliatedAccounts.AddRange(
            Account(PauseScope.Academy, trust.NorthAcademyId, "@north"),
            Account(PauseScope.Region, trust.NorthRegionId, "@northregion"),
            Account(PauseScope.Trust, null, "@trust"),
            Account(PauseScope.Academy, trust.NorthAcademyId, "@northold", closed: true),
            Account(PauseScope.Academy, trust.SouthAcademyId, "@south"));
        await db.SaveChangesAsync();
        return trust;
    }

    /// <summary>Handles are unique among open accounts, so each test trust makes its own.</summary>
    private static AffiliatedAccount Account(PauseScope scope, Guid? scopeId, string handle, bool closed = false) => new()
    {
        Id = Guid.NewGuid(),
        Platform = SocialPlatform.Instagram,
        Handle = handle + Guid.NewGuid().ToString("N")[..6],
        Scope = scope,
        ScopeId = scopeId,
        FirstAdminName = "Ann Admin",
        FirstAdminEmail = "ann@trust.example.org",
        SecondAdminName = "Bob Admin",
        SecondAdminEmail = "bob@trust.example.org",
        RegisteredAt = DateTimeOffset.UtcNow.AddDays(-10),
        RegisteredBy = "test",
        ClosedAt = closed ? DateTimeOffset.UtcNow.AddDays(-1) : null,
        ClosedBy = closed ? "test" : null,
    };

    /// <summary>Yes for the purposes in <paramref name="yes"/>, no for the rest of the form's purposes.</summary>
    public static async Task<List<(string Key, string Value)>> AnswersAsync(ConsentHubDbContext db, Guid formVersionId, ConsentHub.Consent.Audience audience, params string[] yes)
    {
        var keys = await (from w in db.FormWordings
                          join p in db.Purposes on w.PurposeId equals p.Id
                          where w.FormVersionId == formVersionId && w.Audience == audience && p.Active
                          select p.Key).Distinct().ToListAsync();
        return [.. keys.Select(k => ("answer-" + k, yes.Contains(k) ? "yes" : "no"))];
    }

    public static async Task<string> ApiKeyAsync(IServiceProvider services, Guid academyId) =>
        (await services.GetRequiredService<CreateApiKey>().HandleAsync(new CreateApiKey.Request("signing tests", academyId, "test"))).PlainTextKey;

    public static async Task<Pupil> WithSchoolEmailAsync(ConsentHubDbContext db, Pupil pupil)
    {
        var stored = await db.Pupils.FirstAsync(p => p.Id == pupil.Id);
        stored.SchoolEmail = $"pupil.{Guid.NewGuid():N}@school.example.org";
        await db.SaveChangesAsync();
        return stored;
    }

    public static (string, string)[] Dob(DateOnly d) =>
        [("day", d.Day.ToString(System.Globalization.CultureInfo.InvariantCulture)),
         ("month", d.Month.ToString(System.Globalization.CultureInfo.InvariantCulture)),
         ("year", d.Year.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
