using Bunit;
using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Email;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Requests;
using ConsentHub.Web.Tests.Infrastructure;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Requests;

/// <summary>
/// Office staff at North Academy issue the form: the preview's counts, then the result; bad choices get a message
/// and write nothing. Real database and templates; the outbox drain is asked for, not run.
/// </summary>
public sealed class IssueRequestsPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;
    private readonly RecordingJobs _jobs = new();

    public IssueRequestsPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton(Options.Create(new EmailOptions { FromAddress = "consent@trust.example", MessageIdDomain = "trust.example" }));
        Services.AddSingleton(Options.Create(new TemplateOptions()));
        Services.AddSingleton(Options.Create(new SigningOptions { PublicBaseUrl = new Uri("https://consent.trust.example") }));
        Services.AddSingleton<EmailTemplates>();
        Services.AddSingleton<OutboxWriter>();
        Services.AddSingleton<IBackgroundJobClient>(_jobs);
        Services.AddTransient<RequestOutboxDrain>();
        Services.AddSingleton<SearchPupils>();
        Services.AddConsentHubRequests();
        Services.AddConsentHubChasing();
    }

    private sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<Job> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            lock (Created) Created.Add(job);
            return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    /// <summary>North Academy: a Year 4 pupil (one parent), a Year 9 pupil (parent and pupil, no school email) and a Year 2 pupil with no parent to ask.</summary>
    private async Task<TestTrust> NorthAsync()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Nora", "North");
        await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 9, "9N", "Ned", "North");
        await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 2, "2N", "Nell", "Orphan", parentHasResponsibility: false);
        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, t.NorthAcademyId);
        return t;
    }

    private static string Count(IRenderedComponent<IssueRequests> page, string name) => page.Find($"dd[data-count={name}]").TextContent;

    private async Task<int> RequestCountAsync(Guid academyId)
    {
        await using var db = _database.CreateDbContext();
        return await db.SignatureRequests.CountAsync(r => r.AcademyId == academyId);
    }

    [Fact]
    public async Task PreviewShowsTheCounts_ThenIssueShowsTheResult_AndAsksForTheMailToGo()
    {
        var t = await NorthAsync();
        var page = Render<IssueRequests>();
        page.WaitForAssertion(() => Assert.Contains("North Academy", page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Preview").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Equal("3", Count(page, "pupils"));
            Assert.Equal(("2", "0", "1"), (Count(page, "parent-emails"), Count(page, "pupil-emails"), Count(page, "paper")));
            Assert.Contains("Nell Orphan", page.Find("table[aria-label='Pupils with no parent to ask']").TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(0, await RequestCountAsync(t.NorthAcademyId));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Issue 3 request(s)").Click());

        page.WaitForAssertion(() => Assert.Contains("3 requests issued for 3 pupils: 2 by email, 1 on paper.", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        Assert.Equal(3, await RequestCountAsync(t.NorthAcademyId));
        Assert.Single(_jobs.Created, j => j.Type == typeof(DrainOutbox));
    }

    [Fact]
    public async Task BadChoices_GetAClearMessage_AndWriteNothing()
    {
        var t = await NorthAsync();
        var page = Render<IssueRequests>();
        page.WaitForAssertion(() => Assert.Contains("North Academy", page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#audience-YearGroups").Change(true));
        await page.InvokeAsync(() => page.Find("#deadline").Change(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-7)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Preview").Click());

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("[role=alert]").TextContent;
            Assert.Contains("Choose at least one year group.", alert, StringComparison.Ordinal);
            Assert.Contains("The deadline cannot be in the past", alert, StringComparison.Ordinal);
        });
        Assert.Empty(page.FindAll("dd[data-count=pupils]"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.StartsWith("Issue ", StringComparison.Ordinal));
        Assert.Equal(0, await RequestCountAsync(t.NorthAcademyId));
    }

    [Fact]
    public async Task OpenRequests_ListTheParties_WithTheirCodes_AndANewLinkReplacesTheOldToken()
    {
        var t = await NorthAsync();
        var issue = Services.GetRequiredService<IssueConsentRequests>();
        await issue.HandleAsync(AccessScope.Academy(t.NorthAcademyId, "staff:office"), new IssueConsentRequests.Request(t.NorthAcademyId, t.FormVersionId,
            IssueAudience.Years(4), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)), IssueDelivery.EmailWherePossible));
        SignatureRequest before;
        await using (var db = _database.CreateDbContext())
            before = await db.SignatureRequests.AsNoTracking().SingleAsync(r => r.AcademyId == t.NorthAcademyId);

        var page = Render<OpenRequests>();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Nora North", page.Find("table[aria-label='Open requests']").TextContent, StringComparison.Ordinal);
            var row = page.Find("table[aria-label='Open requests'] tbody tr").TextContent;
            Assert.Contains("Mrs Jane North", row, StringComparison.Ordinal);
            Assert.Contains(SigningSecrets.FormatShortCode(before.ShortCode), row, StringComparison.Ordinal);
        });

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Send a new link to Mrs Jane North").Click());

        page.WaitForAssertion(() => Assert.Contains("A new link was emailed to Mrs Jane North for Nora North.", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        await using var check = _database.CreateDbContext();
        Assert.NotEqual(before.TokenHash, (await check.SignatureRequests.SingleAsync(r => r.Id == before.Id)).TokenHash);
        Assert.Single(_jobs.Created, j => j.Type == typeof(DrainOutbox));
    }

    [Fact]
    public async Task SendRemindersNow_QueuesTheChaseForThisAcademyOnly_AndSaysWhatHappens()
    {
        var t = await NorthAsync();
        var page = Render<OpenRequests>();
        page.WaitForAssertion(() => Assert.Contains("3, 7, 14 days after issue", page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Send reminders now…").Click());
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Yes, send the reminders").Click());

        page.WaitForAssertion(() => Assert.Contains("Reminders that are due are being written now", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        var job = Assert.Single(_jobs.Created, j => j.Type == typeof(ChaseAcademies));
        Assert.Equal([t.NorthAcademyId], (Guid[])job.Args[0]);
    }

    [Fact]
    public async Task ChosenPupils_AreFoundByName_AndOnlyThoseArePreviewed()
    {
        await NorthAsync();
        var page = Render<IssueRequests>();
        page.WaitForAssertion(() => Assert.Contains("North Academy", page.Markup, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Find("#audience-ChosenPupils").Change(true));
        await page.InvokeAsync(() => page.Find("#pupil-search").Input("ned"));
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("button"), b => b.TextContent.StartsWith("Add Ned North", StringComparison.Ordinal)));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.StartsWith("Add Ned North", StringComparison.Ordinal)).Click());
        page.WaitForAssertion(() => Assert.Contains("Ned North", page.Find("ul[aria-label='Chosen pupils']").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Preview").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Equal("1", Count(page, "pupils"));
            Assert.Equal(("1", "0", "1"), (Count(page, "parent-emails"), Count(page, "pupil-emails"), Count(page, "paper")));
        });
    }
}
