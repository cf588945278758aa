using ConsentHub.Consent;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Requests;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.Forms;

/// <summary>
/// A trust whose published form version has wording for both uses (parents, pupils, Polish parents), class 3W at
/// North with two parents without email (one Polish), one with email, a Year 4 pupil and a South pupil; the form is
/// issued to both academies.
/// </summary>
internal static class FormsTestData
{
    public static async Task<TestTrust> ArrangeAsync(DatabaseFixture database, RequestsTestSupport support)
    {
        TestTrust t;
        await using (var db = database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            var version = await db.FormVersions.SingleAsync(f => f.Id == t.FormVersionId);
            if (!await db.FormWordings.AnyAsync(w => w.FormVersionId == version.Id))
            {
                // Published versions are frozen: wording can only be added to a fresh version.
                version = new FormVersion { Id = Guid.NewGuid(), Label = "pack-1" };
                db.FormVersions.Add(version);
                foreach (var (purpose, name) in new[] { (t.DisplaysPurposeId, "displays"), (t.SocialPurposeId, "social media") })
                {
                    db.FormWordings.Add(new FormWording { Id = Guid.NewGuid(), FormVersionId = version.Id, PurposeId = purpose, Audience = Audience.Parent, Language = "en", Text = $"Parent wording for {name}." });
                    db.FormWordings.Add(new FormWording { Id = Guid.NewGuid(), FormVersionId = version.Id, PurposeId = purpose, Audience = Audience.Pupil, Language = "en", Text = $"Pupil wording for {name}." });
                    db.FormWordings.Add(new FormWording { Id = Guid.NewGuid(), FormVersionId = version.Id, PurposeId = purpose, Audience = Audience.Parent, Language = "pl", Text = $"Polskie brzmienie: {name}." });
                }
                await db.SaveChangesAsync();
                version.PublishedAt = DateTimeOffset.UtcNow;
                await db.SaveChangesAsync();
            }
        }
        await using (var db = database.CreateDbContext())
        {
            var (zoe, zoeMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3W", "Zoë", "Ødegaard-Smith");
            zoeMum.Email = null;
            var (lukasz, lukaszMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3W", "Łukasz", "Kowalski");
            lukaszMum.PreferredLanguage = "pl";
            lukaszMum.Email = null;
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, "3W", "Emailed", "Parent");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4K", "Other", "Class");
            await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 3, "3W", "South", "Pupil");
            await db.SaveChangesAsync();
        }
        var formVersion = await LatestFormAsync(database);
        foreach (var academy in new[] { t.NorthAcademyId, t.SouthAcademyId })
            Assert.IsType<IssueConsentRequests.Result.Issued>(await support.Issue().HandleAsync(RequestsTestSupport.Office(academy),
                new IssueConsentRequests.Request(academy, formVersion, new IssueAudience(AudienceKind.WholeAcademy), support.Today.AddDays(14), IssueDelivery.EmailWherePossible)));
        return t;
    }

    private static async Task<Guid> LatestFormAsync(DatabaseFixture database)
    {
        await using var db = database.CreateDbContext();
        return await db.FormVersions.Where(f => f.PublishedAt != null && f.Wordings.Any()).OrderByDescending(f => f.PublishedAt).Select(f => f.Id).FirstAsync();
    }

}
