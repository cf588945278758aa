using Bunit;
using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Trust;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Components.Trust;

/// <summary>The communications director sees how many pupils the "every parent" rule would change before saving it.</summary>
public sealed class ConsentRulesPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public ConsentRulesPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<PreviewEveryParentSetting>();
        Services.AddSingleton<SaveEveryParentSetting>();
    }

    [Fact]
    public async Task ChoosingEveryParent_ShowsHowManyPupilsChange_AndSavingAppliesIt()
    {
        await using (var db = _database.CreateDbContext())
        {
            var t = await TestTrust.CreateAsync(db);
            var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 2, "2A", "Zoë", "Ødegaard");
            var dad = new ConsentHub.Pupils.Contact { Id = Guid.NewGuid(), FirstName = "Lars", LastName = "Ødegaard", Email = $"lars.{Guid.NewGuid():N}@example.org" };
            db.Contacts.Add(dad);
            db.PupilContacts.Add(new ConsentHub.Pupils.PupilContact { PupilId = pupil.Id, ContactId = dad.Id, Relationship = "Father", HasParentalResponsibility = true });
            db.ConsentAnswers.Add(new ConsentAnswer
            {
                PupilId = pupil.Id,
                AcademyId = t.NorthAcademyId,
                PurposeId = t.SocialPurposeId,
                PartyKind = PartyKind.Contact,
                ContactId = mum.Id,
                Kind = AnswerKind.Grant,
                Method = AnswerMethod.Paper,
                FormVersionId = t.FormVersionId,
                At = DateTimeOffset.UtcNow.AddDays(-1),
                RecordedAt = DateTimeOffset.UtcNow.AddDays(-1),
                RecordedBy = "office",
            });
            await db.SaveChangesAsync();
        }
        SignInStaff("comms@trust.example.org", StaffRoles.CommunicationsDirector, ScopeLevel.Trust, null);
        var page = Render<ConsentRulesPage>();
        page.WaitForAssertion(() => Assert.Equal("one parent with parental responsibility is enough", page.Find("#every-parent-now").TextContent));
        Assert.Empty(page.FindAll("#every-parent-preview"));

        await page.InvokeAsync(() => page.Find("#every-parent").Change(true));

        page.WaitForAssertion(() =>
        {
            var preview = page.Find("#every-parent-preview").TextContent;
            Assert.Contains("changes the decision for 1 of the 1 pupils on roll", preview, StringComparison.Ordinal);
            Assert.Contains("1 pupil who may be featured now would wait for another parent's answer", preview, StringComparison.Ordinal);
        });
        await using (var db = _database.CreateDbContext())
            Assert.False((await db.Trusts.SingleAsync()).RequireEveryParentalResponsibilityHolder);

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Save").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Saved.", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
            Assert.Equal("every parent with parental responsibility must agree", page.Find("#every-parent-now").TextContent);
        });
        await using (var db = _database.CreateDbContext())
            Assert.True((await db.Trusts.SingleAsync()).RequireEveryParentalResponsibilityHolder);
    }
}
