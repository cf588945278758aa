using Bunit;
using ConsentHub.Access;
using ConsentHub.Chasing;
using ConsentHub.Consent;
using ConsentHub.Requests;
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

/// <summary>The office follow-up list: who to phone and why, and what staff record against each, by name.</summary>
public sealed class FollowUpsPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;

    public FollowUpsPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton(Options.Create(new ConsentHub.Email.EmailOptions { FromAddress = "consent@trust.example", MessageIdDomain = "trust.example" }));
        Services.AddSingleton(Options.Create(new ConsentHub.Email.TemplateOptions()));
        Services.AddSingleton(Options.Create(new SigningOptions { PublicBaseUrl = new Uri("https://consent.trust.example") }));
        Services.AddSingleton<ConsentHub.Email.EmailTemplates>();
        Services.AddSingleton<ConsentHub.Email.OutboxWriter>();
        Services.AddSingleton<IBackgroundJobClient>(new NoJobs());
        Services.AddConsentHubRequests();
        Services.AddConsentHubChasing();
    }

    private sealed class NoJobs : IBackgroundJobClient
    {
        public string Create(Job job, IState state) => "1";

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    /// <summary>North Academy: Nora's mother has a failing address and a phone number; she is on the list.</summary>
    private async Task<(TestTrust Trust, Guid FollowUpId)> NorthAsync()
    {
        await using var db = _database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, mum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4N", "Nora", "North");
        mum.Phone = "01632 960123";
        mum.EmailFailingSince = DateTimeOffset.UtcNow.AddDays(-1);
        mum.EmailFailingReason = "550 5.1.1: mailbox unavailable";
        db.Update(mum);
        await db.SaveChangesAsync();
        var request = await TestRequests.IssueAsync(db, pupil, mum);
        var followUp = new FollowUp
        {
            Id = Guid.CreateVersion7(),
            AcademyId = t.NorthAcademyId,
            SignatureRequestId = request.Id,
            PupilId = pupil.Id,
            PartyKind = PartyKind.Contact,
            ContactId = mum.Id,
            Reason = FollowUpReason.EmailFailing,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync();
        return (t, followUp.Id);
    }

    [Fact]
    public async Task TheList_ShowsWhoToPhoneAndWhy_AndPhonedThenResolved_AreRecordedByName()
    {
        var (t, id) = await NorthAsync();
        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, t.NorthAcademyId);
        var page = Render<FollowUps>();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Nora North", page.Find("table[aria-label='Follow-up list']").TextContent, StringComparison.Ordinal);
            var row = page.Find($"tr[data-follow-up='{id}']").TextContent;
            Assert.Contains("Mrs Jane North", row, StringComparison.Ordinal);
            Assert.Contains("Email failing", row, StringComparison.Ordinal);
            Assert.Contains("01632 960123", row, StringComparison.Ordinal);
            Assert.Contains("Nothing yet", row, StringComparison.Ordinal);
            // The list says when it was read (live, in UK time).
            Assert.StartsWith("Read live at ", page.Find("[data-computed]").TextContent.Trim(), StringComparison.Ordinal);
        });

        await page.InvokeAsync(() => page.Find($"#note-{id}").Change("Left a voicemail"));
        await page.InvokeAsync(() => page.Find($"tr[data-follow-up='{id}']").QuerySelectorAll("button").Single(b => b.TextContent == "Phoned").Click());
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Phoned by ", page.Find($"tr[data-follow-up='{id}']").TextContent, StringComparison.Ordinal);
            Assert.Contains("Left a voicemail", page.Find($"tr[data-follow-up='{id}']").TextContent, StringComparison.Ordinal);
        });

        await page.InvokeAsync(() => page.Find($"tr[data-follow-up='{id}']").QuerySelectorAll("button").Single(b => b.TextContent == "Resolved").Click());
        page.WaitForAssertion(() => Assert.Contains("Nobody to follow up at this academy.", page.Markup, StringComparison.Ordinal));

        await using var db = _database.CreateDbContext();
        var item = await db.FollowUps.AsNoTracking().Include(f => f.Actions).SingleAsync(f => f.Id == id);
        Assert.Equal([FollowUpActionKind.Phoned, FollowUpActionKind.Resolved], item.Actions.OrderBy(a => a.Id).Select(a => a.Kind));
        Assert.All(item.Actions, a => Assert.Equal(item.ResolvedBy, a.By));
        Assert.False(string.IsNullOrWhiteSpace(item.ResolvedBy));
        Assert.Equal(["follow-up.phoned", "follow-up.resolved"],
            await db.AuditEntries.Where(e => e.EntityId == id.ToString() && e.Actor == item.ResolvedBy).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task AnotherAcademysOffice_SeesNothing_AndCannotRecordAgainstIt()
    {
        var (t, id) = await NorthAsync();
        SignInStaff("staff:south", StaffRoles.OfficeStaff, ScopeLevel.Academy, t.SouthAcademyId);
        var page = Render<FollowUps>();

        page.WaitForAssertion(() => Assert.Contains("Nobody to follow up at this academy.", page.Markup, StringComparison.Ordinal));
        var result = await Services.GetRequiredService<RecordFollowUpAction>().HandleAsync(AccessScope.Academy(t.SouthAcademyId, "staff:south"),
            new RecordFollowUpAction.Request(id, FollowUpActionKind.Resolved, null));
        Assert.IsType<RecordFollowUpAction.Result.NotFound>(result);
    }

    [Fact]
    public async Task AnAnsweredRequest_LeavesTheList()
    {
        var (t, _) = await NorthAsync();
        await using (var db = _database.CreateDbContext())
            await db.SignatureRequests.Where(r => r.AcademyId == t.NorthAcademyId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RequestStatus.Answered));
        SignInStaff("staff:office", StaffRoles.OfficeStaff, ScopeLevel.Academy, t.NorthAcademyId);

        var page = Render<FollowUps>();

        page.WaitForAssertion(() => Assert.Contains("Nobody to follow up at this academy.", page.Markup, StringComparison.Ordinal));
    }
}
