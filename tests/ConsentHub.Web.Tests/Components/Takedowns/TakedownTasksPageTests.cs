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
        Services.AddSingleton<CountTakedownAccounts>();
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

/// <summary>
/// An empty register means a withdrawal takes nothing down: the takedown and register pages say so, and the parent's
/// withdrawal confirmation promises only what will happen. Its own database: the register must start empty.
/// </summary>
public sealed class EmptyRegisterWarningTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public EmptyRegisterWarningTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListTakedownTasks>();
        Services.AddSingleton<MarkTakedownDone>();
        Services.AddSingleton<CountTakedownAccounts>();
        Services.AddSingleton(Options.Create(new TakedownOptions()));
        Services.AddSingleton<ListTrustStructure>();
        Services.AddSingleton<ListAffiliatedAccounts>();
        Services.AddSingleton<RegisterAffiliatedAccount>();
        Services.AddSingleton<CloseAffiliatedAccount>();
    }

    [Fact]
    public async Task AnEmptyRegister_IsWarnedOfOnTheTakedownAndRegisterPages_UntilAnAccountIsRegistered()
    {
        TestTrust t;
        await using (var db = _database.CreateDbContext()) t = await TestTrust.CreateAsync(db);
        Auth.SetAuthorized("comms@trust.example.org").SetRoles(StaffRoles.CommunicationsDirector).SetClaims(
            new Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.CommunicationsDirector, ScopeLevel.Trust, null)));

        var takedowns = Render<TakedownTasks>();
        takedowns.WaitForAssertion(() => Assert.Contains("The register of trust-affiliated accounts is empty", takedowns.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        var register = Render<ConsentHub.Web.Components.Pages.Trust.Accounts>();
        register.WaitForAssertion(() => Assert.Contains("no takedown task is created", register.Find(".register-empty").TextContent, StringComparison.Ordinal));

        await using (var db = _database.CreateDbContext())
        {
            db.AffiliatedAccounts.Add(new AffiliatedAccount
            {
                Id = Guid.NewGuid(),
                Platform = SocialPlatform.Facebook,
                Handle = "@northfield",
                Scope = PauseScope.Academy,
                ScopeId = t.NorthAcademyId,
                FirstAdminName = "Ann Admin",
                FirstAdminEmail = "ann@trust.example.org",
                SecondAdminName = "Bob Admin",
                SecondAdminEmail = "bob@trust.example.org",
                RegisteredAt = Clock.GetUtcNow(),
                RegisteredBy = "staff:comms",
            });
            await db.SaveChangesAsync();
        }
        var after = Render<TakedownTasks>();
        after.WaitForAssertion(() => Assert.Contains("Nothing to take down", after.Markup, StringComparison.Ordinal));
        Assert.Empty(after.FindAll("[role=alert]"));
    }

    [Theory]
    [InlineData(true, "take down what has been posted")]
    [InlineData(false, "not removed automatically: if you want something taken down, contact the school office")]
    public void TheParentsWithdrawalConfirmation_PromisesOnlyWhatWillHappen(bool takedown, string words)
    {
        var page = Render<ConsentHub.Web.Components.Pages.Signing.WithdrawAllConfirmPage>(p => p
            .Add(c => c.Text, ConsentHub.Web.Components.Pages.Signing.SigningText.For(SigningLanguage.English))
            .Add(c => c.Action, "/sign/change/x")
            .Add(c => c.BackUrl, "/sign/change/x?lang=en")
            .Add(c => c.Token, new ConsentHub.Web.Components.Pages.Signing.SigningFormToken("f", "v"))
            .Add(c => c.Takedown, takedown));

        Assert.Contains(words, page.Find("#withdraw-consequence").TextContent, StringComparison.Ordinal);
    }
}
