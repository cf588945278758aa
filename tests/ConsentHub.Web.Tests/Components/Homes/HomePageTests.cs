using Bunit;
using Bunit.TestDoubles;
using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Trust;
using ConsentHub.Web.Components.Pages;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ConsentHub.Web.Tests.Components.Homes;

/// <summary>Each role's home page: its own figures, only for its own academies, each count a link to the list it counts.</summary>
public sealed class HomePageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public HomePageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
    }

    [Fact]
    public async Task Office_SeesWaitingExpiredPaperAndFollowUpsOfTheirAcademy_EachLinkingToItsList()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (ana, anaMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Ana", "Ashby");
        var (ben, benMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Ben", "Booth");
        var (cat, catMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5N", "Cat", "Cole");
        var (dan, danMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5N", "Dan", "Dale");
        var (_, _) = await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 4, "4S", "Sid", "South");
        await TestRequests.IssueAsync(db, ana, anaMum);
        await TestRequests.IssueAsync(db, ben, benMum, expiresAt: DateTimeOffset.UtcNow.AddDays(-1));
        var paper = await TestRequests.IssueAsync(db, cat, catMum);
        await db.SignatureRequests.Where(r => r.Id == paper.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Delivery, ConsentHub.Requests.RequestDelivery.Paper));
        var failing = await TestRequests.IssueAsync(db, dan, danMum);
        await db.Contacts.Where(c => c.Id == danMum.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.EmailFailingSince, DateTimeOffset.UtcNow));
        db.FollowUps.Add(new FollowUp
        {
            Id = Guid.CreateVersion7(),
            AcademyId = t.NorthAcademyId,
            SignatureRequestId = failing.Id,
            PupilId = dan.Id,
            PartyKind = PartyKind.Contact,
            ContactId = danMum.Id,
            Reason = FollowUpReason.EmailFailing,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();

        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, t.NorthAcademyId);
        var page = Render<ConsentHub.Web.Components.Pages.Home>();

        page.WaitForAssertion(() =>
        {
            var figures = page.Find("[data-home='office']");
            Assert.Equal("1 request waiting for an answer online", Link(figures, $"requests?academy={t.NorthAcademyId}&status=waiting").TextContent);
            Assert.Equal("1 request expired unanswered", Link(figures, $"requests?academy={t.NorthAcademyId}&status=expired").TextContent);
            Assert.Equal("1 paper form needed (the email address fails)", Link(figures, $"requests?academy={t.NorthAcademyId}&status=waiting&delivery=failing").TextContent);
            Assert.Equal("1 paper form out: returns to record", Link(figures, $"requests?academy={t.NorthAcademyId}&status=waiting&delivery=paper").TextContent);
            Assert.Equal("1 follow-up to make", Link(figures, $"requests/follow-up?academy={t.NorthAcademyId}").TextContent);
            Assert.DoesNotContain("South Academy", figures.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Teacher_GoesStraightToCheckConsent()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        SignInStaff("staff:teacher", StaffRoles.Teacher, ScopeLevel.Academy, t.NorthAcademyId);
        var navigation = Services.GetRequiredService<NavigationManager>();

        var page = Render<ConsentHub.Web.Components.Pages.Home>();

        page.WaitForAssertion(() => Assert.EndsWith("/checks", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dsl_SeesFlaggedPupilsAndThisWeeksWithdrawals_OfTheirAcademyOnly_WithoutTheReason()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (flagged, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 6, "6N", "Thảo", "Đặng");
        var (withdrawn, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 6, "6N", "Łukasz", "Mureșan");
        var (southern, _) = await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 6, "6S", "Sally", "Southgate");
        var now = DateTimeOffset.UtcNow;
        db.SafeguardingFlags.AddRange(
            new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = flagged.Id, AcademyId = t.NorthAcademyId, Reason = "Court order in place", SetBy = "staff:dsl", SetAt = now.AddDays(-3) },
            new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = southern.Id, AcademyId = t.SouthAcademyId, Reason = "Other academy", SetBy = "staff:dsl2", SetAt = now.AddDays(-3) });
        db.ConsentAnswers.Add(new ConsentAnswer
        {
            PupilId = withdrawn.Id,
            AcademyId = t.NorthAcademyId,
            PurposeId = t.SocialPurposeId,
            PartyKind = PartyKind.Contact,
            ContactId = mum.Id,
            Kind = AnswerKind.Withdraw,
            Method = AnswerMethod.Online,
            FormVersionId = t.FormVersionId,
            At = now.AddMinutes(-5),
            RecordedAt = now.AddMinutes(-5),
            RecordedBy = "parent",
        });
        await db.SaveChangesAsync();

        SignInStaff("staff:dsl", StaffRoles.Dsl, ScopeLevel.Academy, t.NorthAcademyId);
        var page = Render<ConsentHub.Web.Components.Pages.Home>();

        page.WaitForAssertion(() =>
        {
            var flags = page.Find("[data-home='flags']");
            Assert.Equal("1 safeguarding flag in force", flags.QuerySelector("h2")!.TextContent);
            Assert.Equal("Thảo Đặng", Link(flags, $"pupils/{flagged.Id}").TextContent);
            Assert.DoesNotContain("Sally Southgate", flags.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("Court order", page.Markup, StringComparison.Ordinal);
            var withdrawals = page.Find("[data-home='withdrawals']");
            Assert.StartsWith("1 withdrawal since", withdrawals.QuerySelector("h2")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("Łukasz Mureșan", Link(withdrawals, $"pupils/{withdrawn.Id}").TextContent);
            Assert.Contains("Academy social media", withdrawals.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TrustAdmin_SeesAcademiesMissingFromTheRegister_AndPausesInForce()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var north = "Northfield " + t.NorthAcademyId.ToString("N")[..6];
        var south = "Southfield " + t.SouthAcademyId.ToString("N")[..6];
        await db.Academies.Where(a => a.Id == t.NorthAcademyId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, north));
        await db.Academies.Where(a => a.Id == t.SouthAcademyId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Name, south));
        db.AffiliatedAccounts.Add(new ConsentHub.Trust.Accounts.AffiliatedAccount
        {
            Id = Guid.NewGuid(),
            Platform = ConsentHub.Trust.Accounts.SocialPlatform.Instagram,
            Handle = "northacademy",
            Scope = PauseScope.Academy,
            ScopeId = t.NorthAcademyId,
            FirstAdminName = "A One",
            FirstAdminEmail = "a@example.org",
            SecondAdminName = "B Two",
            SecondAdminEmail = "b@example.org",
            RegisteredAt = DateTimeOffset.UtcNow,
            RegisteredBy = "staff:admin",
        });
        db.PostingPauses.Add(new PostingPause
        {
            Id = Guid.NewGuid(),
            Scope = PauseScope.Academy,
            ScopeId = t.SouthAcademyId,
            From = DateTimeOffset.UtcNow.AddHours(-1),
            Reason = "Incident",
            SetBy = "staff:admin",
            SetAt = DateTimeOffset.UtcNow.AddHours(-1),
        });
        await db.SaveChangesAsync();

        // A trust admin has two-factor sign-in (without it, the home page sends them to enrol).
        Auth.SetAuthorized("staff:admin").SetRoles(StaffRoles.TrustAdmin).SetClaims(
            new System.Security.Claims.Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.TrustAdmin, ScopeLevel.Trust, null)),
            new System.Security.Claims.Claim(StaffClaims.TwoFactorEnrolled, "true"));
        var page = Render<ConsentHub.Web.Components.Pages.Home>();

        page.WaitForAssertion(() =>
        {
            var gaps = page.Find("ul[aria-label='Academies with no registered account']").TextContent;
            Assert.Contains(south, gaps, StringComparison.Ordinal);
            Assert.DoesNotContain(north, gaps, StringComparison.Ordinal);
            Assert.NotNull(page.Find("[data-home='register'] a[href='trust/accounts']"));
            var pauses = page.Find("ul[aria-label='Posting pauses in force']").TextContent;
            Assert.Contains(south + ", since", pauses, StringComparison.Ordinal);
            Assert.Contains("until further notice", pauses, StringComparison.Ordinal);
            Assert.NotNull(page.Find("[data-home='pauses'] a[href='pauses']"));
            Assert.NotNull(page.Find("[data-home='jobs'] a[href='hangfire']"));
        });
    }

    private static AngleSharp.Dom.IElement Link(AngleSharp.Dom.IElement within, string href) =>
        within.QuerySelector($"a[href='{href}']") ?? throw new Xunit.Sdk.XunitException($"No link to {href} in: {within.TextContent}");
}
