using System.Security.Claims;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Signing;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using ConsentHub.Trust.Accounts;
using ConsentHub.Web.Components.Pages.Takedowns;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Takedowns;

/// <summary>A headteacher sees the takedowns at their academy, never the reason, and marks one done under their own name.</summary>
public sealed class TakedownTasksPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public TakedownTasksPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListTakedownTasks>();
        Services.AddSingleton<MarkTakedownDone>();
        Services.AddSingleton(Options.Create(new TakedownOptions()));
    }

    private async Task<(TestTrust Trust, AffiliatedAccount North, AffiliatedAccount South, Guid PupilId)> TasksAsync()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 8, "8K", "Kit", "Lowe");
        var (southPupil, _) = await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 3, "3S", "Sue", "Far");
        AffiliatedAccount Account(Guid academy, string who) => new()
        {
            Id = Guid.NewGuid(),
            Platform = SocialPlatform.Instagram,
            Handle = $"@{who}{Guid.NewGuid().ToString("N")[..6]}",
            Scope = PauseScope.Academy,
            ScopeId = academy,
            FirstAdminName = "Ann Admin",
            FirstAdminEmail = "ann@trust.example.org",
            SecondAdminName = "Bob Admin",
            SecondAdminEmail = "bob@trust.example.org",
            RegisteredAt = Clock.GetUtcNow(),
            RegisteredBy = "staff:comms",
        };
        var north = Account(t.NorthAcademyId, "north");
        var south = Account(t.SouthAcademyId, "south");
        db.AffiliatedAccounts.AddRange(north, south);
        db.TakedownTasks.AddRange(
            new TakedownTask { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = t.NorthAcademyId, PurposeId = t.SocialPurposeId, AccountId = north.Id, Reason = TakedownTask.DoNotFeatureReason, CreatedAt = Clock.GetUtcNow().AddDays(-3) },
            new TakedownTask { Id = Guid.NewGuid(), PupilId = southPupil.Id, AcademyId = t.SouthAcademyId, PurposeId = t.SocialPurposeId, AccountId = south.Id, Reason = TakedownTask.WithdrawalReason, CreatedAt = Clock.GetUtcNow() });
        await db.SaveChangesAsync();
        return (t, north, south, pupil.Id);
    }

    [Fact]
    public async Task Headteacher_SeesTheirAcademysTakedown_Overdue_WithoutAReason_AndMarksItDone()
    {
        var (t, north, south, pupilId) = await TasksAsync();
        var userId = Guid.NewGuid();
        SignInStaff("nia.north@trust.example.org", StaffRoles.Headteacher, ScopeLevel.Academy, t.NorthAcademyId);
        Auth.SetClaims(new Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.Headteacher, ScopeLevel.Academy, t.NorthAcademyId)),
            new Claim(StaffClaims.DisplayName, "Nia North"), new Claim(ClaimTypes.NameIdentifier, userId.ToString()));

        var page = Render<TakedownTasks>();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Kit Lowe, Year 8", page.Markup, StringComparison.Ordinal);
            Assert.Contains(north.Handle, page.Markup, StringComparison.Ordinal);
            Assert.Contains("Overdue", page.Markup, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(south.Handle, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-feature", page.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("safeguarding", page.Markup, StringComparison.OrdinalIgnoreCase);

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Mark done").Click());
        page.WaitForElement("input");
        await page.InvokeAsync(() => page.Find("input").Change("Three posts removed"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Confirm: removed").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Marked done: Kit Lowe", page.Markup, StringComparison.Ordinal);
            Assert.Contains("Nothing to take down.", page.Markup, StringComparison.Ordinal);
        });
        await using var db = _database.CreateDbContext();
        var task = await db.TakedownTasks.AsNoTracking().SingleAsync(x => x.PupilId == pupilId);
        Assert.Equal(($"staff:{userId}", "Nia North", "Three posts removed"), (task.DoneBy, task.DoneByName, task.DoneNote));
    }
}
