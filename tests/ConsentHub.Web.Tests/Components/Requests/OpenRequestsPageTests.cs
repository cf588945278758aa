using Bunit;
using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Consent.Rules;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Requests;
using ConsentHub.Web.Tests.Infrastructure;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConsentHub.Web.Tests.Components.Requests;

/// <summary>The office's open requests: filters, search, sort, selection printing, codes that never wrap, reminders only after a yes.</summary>
public sealed class OpenRequestsPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public OpenRequestsPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton(Options.Create(new ConsentHub.Email.EmailOptions { FromAddress = "consent@trust.example", MessageIdDomain = "trust.example" }));
        Services.AddSingleton(Options.Create(new ConsentHub.Email.TemplateOptions()));
        Services.AddSingleton(Options.Create(new SigningOptions { PublicBaseUrl = new Uri("https://consent.trust.example") }));
        Services.AddSingleton<ConsentHub.Email.EmailTemplates>();
        Services.AddSingleton<ConsentHub.Email.OutboxWriter>();
        Services.AddSingleton<IBackgroundJobClient>(_chases);
        Services.AddTransient<ConsentHub.Email.RequestOutboxDrain>();
        Services.AddConsentHubRequests();
        Services.AddConsentHubChasing();
    }

    private readonly CountingJobs _chases = new();

    private sealed class CountingJobs : IBackgroundJobClient
    {
        public int Created;

        public string Create(Job job, IState state)
        {
            Interlocked.Increment(ref Created);
            return "1";
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    private sealed record Arranged(TestTrust T, IssuedRequest Ana, IssuedRequest Ben, IssuedRequest Cat);

    /// <summary>Ana (4N, waiting, email), Ben (4N, expired), Cat (5N, on paper).</summary>
    private async Task<Arranged> ArrangeAsync()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (ana, anaMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Ana", "Ashby");
        var (ben, benMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Ben", "Đặng");
        var (cat, catMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5N", "Cat", "Dalton");
        var a = await TestRequests.IssueAsync(db, ana, anaMum);
        var b = await TestRequests.IssueAsync(db, ben, benMum, expiresAt: DateTimeOffset.UtcNow.AddDays(-1));
        var c = await TestRequests.IssueAsync(db, cat, catMum);
        await db.SignatureRequests.Where(r => r.Id == c.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Delivery, RequestDelivery.Paper));
        return new Arranged(t, a, b, c);
    }

    private static List<string> Pupils(IRenderedComponent<OpenRequests> page) =>
        [.. page.FindAll("table[aria-label='Open requests'] tbody tr td:nth-child(2)").Select(td => td.TextContent.Trim())];

    [Fact]
    public async Task TheHomePagesLink_OpensTheListFiltered_AndFiltersSearchAndSortNarrowIt()
    {
        var x = await ArrangeAsync();
        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, x.T.NorthAcademyId);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"requests?academy={x.T.NorthAcademyId}&status=expired");

        var page = Render<OpenRequests>();
        page.WaitForAssertion(() => Assert.Equal(["Ben Đặng"], Pupils(page)));

        await page.InvokeAsync(() => page.Find("#filter-status").Change("All"));
        page.WaitForAssertion(() => Assert.Equal(["Ana Ashby", "Ben Đặng", "Cat Dalton"], Pupils(page)));

        // Sorted by surname with one culture-aware order: Đặng comes after Dalton, not after Z.
        await page.InvokeAsync(() => page.Find("#filter-sort").Change("Name"));
        page.WaitForAssertion(() => Assert.Equal(["Ana Ashby", "Cat Dalton", "Ben Đặng"], Pupils(page)));

        await page.InvokeAsync(() => page.Find("#filter-delivery").Change("Paper"));
        page.WaitForAssertion(() => Assert.Equal(["Cat Dalton"], Pupils(page)));
        await page.InvokeAsync(() => page.Find("#filter-delivery").Change(""));

        await page.InvokeAsync(() => page.Find("#filter-class").Change("4N"));
        page.WaitForAssertion(() => Assert.Equal(["Ana Ashby", "Ben Đặng"], Pupils(page)));
        // The class list is grouped by year.
        Assert.Equal(["Year 4", "Year 5"], page.FindAll("#filter-class optgroup").Select(g => g.GetAttribute("label")));

        await page.InvokeAsync(() => page.Find("#filter-search").Change("ashby"));
        page.WaitForAssertion(() => Assert.Equal(["Ana Ashby"], Pupils(page)));
        await page.InvokeAsync(() => page.Find("#filter-search").Change(x.Ben.ShortCode.ToLowerInvariant()));
        page.WaitForAssertion(() => Assert.Equal(["Ben Đặng"], Pupils(page)));

        // Codes never wrap.
        Assert.Contains("text-nowrap", page.Find($"tr[data-request='{x.Ben.Id}'] code").ClassList);
    }

    [Fact]
    public async Task SelectingRequests_OffersToPrintTheirForms_LeavingOutExpiredOnes()
    {
        var x = await ArrangeAsync();
        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, x.T.NorthAcademyId);
        var page = Render<OpenRequests>();
        page.WaitForAssertion(() => Assert.Equal(3, Pupils(page).Count));

        await page.InvokeAsync(() => page.Find("input[aria-label='Select every request shown']").Change(true));

        page.WaitForAssertion(() =>
        {
            var print = page.FindAll("a").Single(a => a.TextContent.StartsWith("Print 2 forms for the selection", StringComparison.Ordinal));
            var href = print.GetAttribute("href")!;
            Assert.Contains(x.Ana.Id.ToString(), href, StringComparison.Ordinal);
            Assert.Contains(x.Cat.Id.ToString(), href, StringComparison.Ordinal);
            Assert.DoesNotContain(x.Ben.Id.ToString(), href, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SendRemindersNow_AsksFirst_AndSendsOnlyAfterYes()
    {
        var x = await ArrangeAsync();
        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, x.T.NorthAcademyId);
        var page = Render<OpenRequests>();
        page.WaitForAssertion(() => Assert.Equal(3, Pupils(page).Count));

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Send reminders now…").Click());
        page.WaitForAssertion(() => Assert.Contains("Email a reminder now", page.Find("[role=alertdialog]").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Cancel").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[role=alertdialog]")));
        Assert.Equal(0, _chases.Created);

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Send reminders now…").Click());
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Yes, send the reminders").Click());
        page.WaitForAssertion(() => Assert.Contains("Reminders that are due are being written now", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        Assert.Equal(1, _chases.Created);
    }

    [Fact]
    public async Task SelectedExpiredRequests_GetANewLinkAfterAYes_AndTheListSaysHowManyWentWithTheNewDeadline()
    {
        var x = await ArrangeAsync();
        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, x.T.NorthAcademyId);
        var page = Render<OpenRequests>();
        page.WaitForAssertion(() => Assert.Equal(3, Pupils(page).Count));
        await page.InvokeAsync(() => page.Find("input[aria-label='Select every request shown']").Change(true));

        // Only the expired one of the three is offered, and nothing is sent before the yes.
        page.WaitForAssertion(() => Assert.Single(page.FindAll("button"), b => b.TextContent == "Send a new link for 1 expired request…"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Send a new link for 1 expired request…").Click());
        page.WaitForAssertion(() => Assert.Contains("Email a new link for 1 expired request? It gets a new deadline 14 days from today",
            string.Join(' ', page.Find("[role=alertdialog]").TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Cancel").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[role=alertdialog]")));
        await using (var db = _database.CreateDbContext())
        {
            Assert.False(await db.OutboxMessages.AnyAsync(m => m.SignatureRequestId == x.Ben.Id));
        }

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Send a new link for 1 expired request…").Click());
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent == "Yes, send the new link").Click());

        var deadline = UkCalendar.Format(UkCalendar.DateOf(DateTimeOffset.UtcNow).AddDays(14));
        page.WaitForAssertion(() => Assert.Equal($"1 new link was emailed; its deadline is {deadline} and the old link stays closed.",
            page.Find("[role=status]").TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Equal("Waiting", page.Find($"tr[data-request='{x.Ben.Id}'] td:nth-child(9)").TextContent));
        await using (var db = _database.CreateDbContext())
        {
            Assert.Single(await db.OutboxMessages.Where(m => m.SignatureRequestId == x.Ben.Id).ToListAsync());
            var audit = await db.AuditEntries.Where(e => e.EntityId == x.Ben.Id.ToString()).Select(e => e.Action + "|" + e.Actor).ToListAsync();
            Assert.Contains(audit, a => a.StartsWith("request.reissued|", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.StartsWith("Send a new link for", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2, 0, 0, "2 new links were emailed; their deadline is 17 Dec 2026 and the old links stay closed.")]
    [InlineData(0, 1, 2, "No new links were sent. 1 request was no longer expired (already renewed or answered) and was left alone. 2 requests have no working email address: update it or issue a paper form.")]
    public void TheResultMessage_CountsWithTheRightPlurals(int sent, int notExpired, int noEmail, string expected) =>
        Assert.Equal(expected, OpenRequests.Describe(new ReissueExpiredRequests.Summary(sent, notExpired, noEmail, 0, new DateOnly(2026, 12, 17))));
}
