using System.Security.Claims;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent.Rules;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Takedowns;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Pupils;
using ConsentHub.Web.Security;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Pupils;

/// <summary>Finding a pupil and reading their page, as each role sees it.</summary>
public sealed class PupilPagesTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public PupilPagesTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<SearchPupils>();
        Services.AddSingleton<GetPupilRecord>();
        Services.AddSingleton<SetAlsoAskParent>();
        Services.AddSingleton<SetSafeguardingFlag>();
        Services.AddSingleton<UpdatePupilContact>();
        Services.AddSingleton<ConsentHub.Signing.RevokeChangeLinks>();
        Services.AddSingleton(Options.Create(new ConsentHub.Email.EmailOptions { FromAddress = "consent@trust.example", MessageIdDomain = "trust.example" }));
        Services.AddSingleton(Options.Create(new ConsentHub.Email.TemplateOptions()));
        Services.AddSingleton(Options.Create(new SigningOptions { PublicBaseUrl = new Uri("https://consent.trust.example") }));
        Services.AddSingleton<ConsentHub.Email.EmailTemplates>();
        Services.AddSingleton<ConsentHub.Email.OutboxWriter>();
        Services.AddTransient<ConsentHub.Email.RequestOutboxDrain>();
        Services.AddConsentHubRequests();
    }

    [Fact]
    public async Task TheOffice_SeesTheDateOfBirthAndOpenRequests_AndSendsANewLink_TheOldOneStops_Audited()
    {
        var (t, pupil) = await PupilAsync("Łukasz", "Mureșan", year: 4);
        IssuedRequest open;
        await using (var db = _database.CreateDbContext())
        {
            await db.Pupils.Where(p => p.Id == pupil.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.DateOfBirth, new DateOnly(2018, 3, 14)));
            var contact = await db.PupilContacts.Where(pc => pc.PupilId == pupil.Id).Select(pc => pc.Contact!).SingleAsync();
            open = await TestRequests.IssueAsync(db, pupil, contact);
            await TestRequests.IssueAsync(db, pupil, null, expiresAt: DateTimeOffset.UtcNow.AddDays(-1));
        }
        SignIn("staff:office", StaffRoles.OfficeStaff, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Born 14 March 2018", page.Find("#date-of-birth").TextContent);
            var rows = page.FindAll("table[aria-labelledby=open-requests-heading] tbody tr");
            Assert.Equal(2, rows.Count);
            var parent = rows.Single(r => r.TextContent.Contains("Mrs Jane Mureșan", StringComparison.Ordinal));
            Assert.Contains("Waiting for an answer", parent.TextContent, StringComparison.Ordinal);
            Assert.Contains(UkCalendar.Format(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14))), parent.TextContent, StringComparison.Ordinal);
            var pupilRow = rows.Single(r => r.QuerySelector("td")!.TextContent == "Pupil");
            Assert.Contains("Expired", pupilRow.TextContent, StringComparison.Ordinal);
            Assert.Empty(pupilRow.QuerySelectorAll("button"));
        });

        await page.InvokeAsync(() => page.Find("button[aria-label='Send a new link to Mrs Jane Mureșan']").Click());

        page.WaitForAssertion(() => Assert.Equal("A new link was emailed to Mrs Jane Mureșan. The old link no longer works.", page.Find("p[role=status]").TextContent));
        await using var check = _database.CreateDbContext();
        var hash = await check.SignatureRequests.Where(r => r.Id == open.Id).Select(r => r.TokenHash).SingleAsync();
        Assert.NotEqual(ConsentHub.Requests.SigningSecrets.HashToken(open.Token), hash);
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Action == "request.link-resent" && e.PupilId == pupil.Id));
        Assert.True(await check.OutboxMessages.AnyAsync(m => m.SignatureRequestId == open.Id));
        Assert.Contains(Jobs.Jobs, j => j.Type == typeof(ConsentHub.Email.DrainOutbox));
    }

    [Fact]
    public async Task ATeacher_SeesNoOpenRequests_AndNoNewLinkButton()
    {
        var (t, pupil) = await PupilAsync("Zoë", "Ødegård");
        await using (var db = _database.CreateDbContext())
        {
            var contact = await db.PupilContacts.Where(pc => pc.PupilId == pupil.Id).Select(pc => pc.Contact!).SingleAsync();
            await TestRequests.IssueAsync(db, pupil, contact);
        }
        SignIn("teacher@north.example", StaffRoles.Teacher, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        page.WaitForAssertion(() => Assert.Equal("Zoë Ødegård", page.Find("h1").TextContent));
        Assert.Empty(page.FindAll("#open-requests-heading"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent == "Send a new link");
    }


    [Fact]
    public async Task ThePaperFormsScan_IsALinkOnThePupilPage_ForTheOffice_NextToTheAnswerRecordedFromIt()
    {
        var (t, pupil, href) = await PupilWithAScanAsync();

        SignIn("staff:office", StaffRoles.OfficeStaff, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));

        page.WaitForAssertion(() =>
        {
            var link = page.Find("ul[aria-label='Scans of paper forms'] a");
            Assert.Equal(href, link.GetAttribute("href"));
            Assert.Equal("Scan of the paper form, recorded 30 Nov 2026 (PDF, 1 KB)", link.TextContent);
            var history = page.Find("table[aria-label='History of answers'] tbody tr a");
            Assert.Equal((href, "view the scan"), (history.GetAttribute("href"), history.TextContent));
        });
    }

    [Fact]
    public async Task ATeacher_SeesThePaperAnswer_ButNoLinkToTheScan()
    {
        var (t, pupil, href) = await PupilWithAScanAsync();

        SignIn("teacher@north.example", StaffRoles.Teacher, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("table[aria-label='History of answers'] tbody tr")));
        Assert.Empty(page.FindAll($"a[href='{href}']"));
        Assert.Empty(page.FindAll("ul[aria-label='Scans of paper forms']"));
    }

    /// <summary>A pupil with a parent's paper answer recorded from a scan (a small PDF); the scan link's address.</summary>
    private async Task<(TestTrust T, Pupil Pupil, string Href)> PupilWithAScanAsync()
    {
        var (t, pupil) = await PupilAsync("Thảo", "Đặng");
        var scanId = Guid.NewGuid();
        await using (var db = _database.CreateDbContext())
        {
            byte[] pdf = [.. "%PDF-1.4\n%%EOF\n"u8];
            db.PaperScans.Add(new ConsentHub.PaperReturns.PaperScan
            {
                Id = scanId,
                PupilId = pupil.Id,
                AcademyId = t.NorthAcademyId,
                ContentType = "application/pdf",
                Sha256 = System.Security.Cryptography.SHA256.HashData(pdf),
                Size = pdf.Length,
                Content = pdf,
                UploadedBy = "staff:office",
                UploadedAt = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero),
            });
            var contact = await db.PupilContacts.Where(pc => pc.PupilId == pupil.Id).Select(pc => pc.ContactId).SingleAsync();
            db.ConsentAnswers.Add(new ConsentHub.Consent.ConsentAnswer
            {
                PupilId = pupil.Id,
                AcademyId = t.NorthAcademyId,
                PurposeId = t.SocialPurposeId,
                PartyKind = ConsentHub.Consent.PartyKind.Contact,
                ContactId = contact,
                Kind = ConsentHub.Consent.AnswerKind.Grant,
                Method = ConsentHub.Consent.AnswerMethod.Paper,
                FormVersionId = t.FormVersionId,
                At = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero),
                RecordedAt = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero),
                RecordedBy = "staff:office",
                Attested = true,
                ScanReference = "scan:" + scanId.ToString("N"),
            });
            await db.SaveChangesAsync();
        }
        return (t, pupil, $"pupils/{pupil.Id}/scans/{scanId}");
    }

    private void SignIn(string name, string role, Guid academyId) => SignInStaff(name, role, ScopeLevel.Academy, academyId);

    [Fact]
    public async Task TheOffice_AsksASixthFormersParentToo_AndTheAcademysRolloverIsEnqueuedToAskThem()
    {
        var (t, pupil) = await PupilAsync("Isla", "Jones", year: 12);
        SignIn("office@north.example", StaffRoles.OfficeStaff, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        page.WaitForAssertion(() => Assert.Equal("Isla Jones", page.Find("h1").TextContent));

        await page.InvokeAsync(() => page.Find("#ask-parent-reason").Change("Agreed with the family at the sixth-form interview"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Ask the parent too").Click());

        page.WaitForAssertion(() => Assert.Contains(Jobs.Jobs, j => j.Type == typeof(ConsentHub.Rollover.RunRollover)
            && (Guid)j.Args[0]! == t.NorthAcademyId && (ConsentHub.Rollover.RolloverTrigger)j.Args[1]! == ConsentHub.Rollover.RolloverTrigger.AlsoAskParent));
    }

    [Fact]
    public async Task TheDsl_ClearingASafeguardingFlag_AsksFirst_AndOnlyYesClearsIt()
    {
        var (t, pupil) = await PupilAsync("Thảo", "Đặng");
        await using (var db = _database.CreateDbContext())
        {
            db.SafeguardingFlags.Add(new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = pupil.Id, AcademyId = t.NorthAcademyId, Reason = "Court order", SetBy = "dsl", SetAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        SignIn("dsl@north.example", StaffRoles.Dsl, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        page.WaitForAssertion(() => Assert.Equal("Thảo Đặng", page.Find("h1").TextContent));

        // The dangerous button looks dangerous, and the first click only asks.
        var clear = page.FindAll("button").Single(b => b.TextContent == "Clear the flag…");
        Assert.Contains("btn-outline-danger", clear.ClassList);
        await page.InvokeAsync(() => clear.Click());
        page.WaitForAssertion(() => Assert.Contains("Clear the safeguarding flag for Thảo Đặng?", page.Find("[role=alertdialog]").TextContent, StringComparison.Ordinal));
        Assert.Contains("btn-danger", page.FindAll("button").Single(b => b.TextContent == "Yes, clear the flag").ClassList);
        Assert.True(await FlaggedAsync(pupil.Id));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Keep the flag").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[role=alertdialog]")));
        Assert.True(await FlaggedAsync(pupil.Id));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Clear the flag…").Click());
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Yes, clear the flag").Click());
        page.WaitForAssertion(() => Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.StartsWith("Clear the flag", StringComparison.Ordinal)));
        Assert.False(await FlaggedAsync(pupil.Id));
    }

    private async Task<bool> FlaggedAsync(Guid pupilId)
    {
        await using var db = _database.CreateDbContext();
        return await db.SafeguardingFlags.AnyAsync(f => f.PupilId == pupilId && f.ClearedAt == null);
    }

    private async Task<(TestTrust T, Pupil Pupil)> PupilAsync(string first, string last, int year = 8)
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, year, $"{year}K", first: first, last: last);
        return (t, pupil);
    }

    [Fact]
    public async Task TypingPartOfAnAccentedName_ListsThePupil_WithALinkToTheirPage()
    {
        var (t, pupil) = await PupilAsync("Zoë", "Łapińska");
        SignIn("teacher@north.example", StaffRoles.Teacher, t.NorthAcademyId);
        var page = Render<PupilSearch>();

        await page.InvokeAsync(() => page.Find("#pupil-search").Input("zoe lap"));

        page.WaitForAssertion(() =>
        {
            var link = page.Find("ul[aria-label='Matching pupils'] a");
            Assert.Equal("Zoë Łapińska", link.TextContent);
            Assert.Equal($"pupils/{pupil.Id}", link.GetAttribute("href"));
        }, TimeSpan.FromSeconds(5));

        await page.InvokeAsync(() => page.Find("#pupil-search").Input("nobody-by-this-name"));
        page.WaitForAssertion(() => Assert.Contains("No pupil matches", page.Find("[role=status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ATeacher_SeesConsentButNoContacts_TheDslSetsTheFlag_AndThePageSaysDoNotFeature()
    {
        var (t, pupil) = await PupilAsync("Amir", "Haddad");
        SignIn("teacher@north.example", StaffRoles.Teacher, t.NorthAcademyId);
        var asTeacher = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        asTeacher.WaitForAssertion(() => Assert.Equal("Amir Haddad", asTeacher.Find("h1").TextContent));
        Assert.Empty(asTeacher.FindAll("table[aria-label=Contacts]"));
        Assert.DoesNotContain("Mrs Jane Haddad", asTeacher.Markup, StringComparison.Ordinal);
        Assert.Empty(asTeacher.FindAll("#safeguarding-reason"));

        SignIn("dsl@north.example", StaffRoles.Dsl, t.NorthAcademyId);
        var asDsl = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        asDsl.WaitForAssertion(() => Assert.Contains("Mrs Jane Haddad", asDsl.Find("table[aria-label=Contacts]").TextContent, StringComparison.Ordinal));
        await asDsl.InvokeAsync(() => asDsl.Find("#safeguarding-reason").Change("Looked-after child placement"));
        await asDsl.InvokeAsync(() => asDsl.FindAll("button").Single(b => b.TextContent == "Set the flag").Click());
        asDsl.WaitForAssertion(() =>
        {
            Assert.Equal("Do not photograph or feature.", asDsl.Find("div[role=alert]").TextContent);
            Assert.Contains("Looked-after child placement", asDsl.Markup, StringComparison.Ordinal);
        });

        SignIn("teacher@north.example", StaffRoles.Teacher, t.NorthAcademyId);
        var again = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        again.WaitForAssertion(() => Assert.Equal("Do not photograph or feature.", again.Find("div[role=alert]").TextContent));
        Assert.DoesNotContain("Looked-after", again.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APupilOfAnotherAcademy_IsNotFound()
    {
        var (t, pupil) = await PupilAsync("Nina", "Kovac");
        SignIn("office@south.example", StaffRoles.OfficeStaff, t.SouthAcademyId);

        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));

        page.WaitForAssertion(() => Assert.Equal("Pupil not found", page.Find("h1").TextContent));
        Assert.DoesNotContain("Kovac", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOffice_TakesParentalResponsibilityAway_WithABadEmailFirstRefused()
    {
        var (t, pupil) = await PupilAsync("Ola", "Nowak", year: 3);
        SignIn("staff:office", StaffRoles.OfficeStaff, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        page.WaitForAssertion(() => Assert.Contains("Mrs Jane Nowak", page.Find("table[aria-label=Contacts]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Edit Mrs Jane Nowak").Click());
        await page.InvokeAsync(() => page.Find("#contact-email").Change("jane at home"));
        await page.InvokeAsync(() => page.Find("#contact-pr").Change(false));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Save contact").Click());
        page.WaitForAssertion(() => Assert.Contains("'jane at home' is not an email address.", page.Find("ul[role=alert]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#contact-email").Change("jane.nowak@example.org"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Save contact").Click());

        page.WaitForAssertion(() =>
        {
            var row = page.Find("table[aria-label=Contacts] tbody tr");
            Assert.Contains("jane.nowak@example.org", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("No", row.QuerySelectorAll("td")[2].TextContent);
            Assert.Empty(page.FindAll("#contact-email"));
        });
    }

    [Fact]
    public async Task TheOffice_StopsAParentsChangeLinks_FromThePupilsPage_Audited()
    {
        var (t, pupil) = await PupilAsync("Rosa", "Nowak", year: 3);
        Guid contactId;
        await using (var db = _database.CreateDbContext())
        {
            contactId = await db.PupilContacts.Where(pc => pc.PupilId == pupil.Id).Select(pc => pc.ContactId).SingleAsync();
            db.SignerLinks.Add(new ConsentHub.Signing.SignerLink
            {
                Id = Guid.NewGuid(),
                TokenHash = ConsentHub.Requests.SigningSecrets.HashToken(ConsentHub.Requests.SigningSecrets.NewToken()),
                PupilId = pupil.Id,
                AcademyId = pupil.AcademyId,
                PartyKind = ConsentHub.Consent.PartyKind.Contact,
                ContactId = contactId,
                CreatedAt = DateTimeOffset.UtcNow.AddDays(-2),
                ExpiresAt = DateTimeOffset.UtcNow.AddDays(300),
            });
            await db.SaveChangesAsync();
        }
        SignIn("staff:office", StaffRoles.OfficeStaff, t.NorthAcademyId);
        var page = Render<PupilPage>(p => p.Add(x => x.PupilId, pupil.Id));
        page.WaitForAssertion(() => Assert.Contains("Mrs Jane Nowak", page.Find("table[aria-label=Contacts]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Stop Mrs Jane Nowak's change links").Click());

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[role=status]"), e => e.TextContent.Contains("Stopped 1 change link(s) of Mrs Jane Nowak", StringComparison.Ordinal)));
        await using var check = _database.CreateDbContext();
        Assert.True(await check.SignerLinks.Where(l => l.PupilId == pupil.Id).AllAsync(l => l.RevokedAt != null));
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Action == "signing.links-revoked" && e.PupilId == pupil.Id));
    }
}
