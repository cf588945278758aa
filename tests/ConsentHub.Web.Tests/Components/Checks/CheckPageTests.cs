using System.Security.Claims;
using Bunit;
using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Web.Components.Pages.Checks;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsentHub.Web.Tests.Components.Checks;

/// <summary>
/// The teacher's check page as a teacher sees and uses it: a card for each status, the do-not-feature banner
/// without its reason, search as you type, the session grid and its filter, live updates, and what the device
/// remembers (per member of staff) restored on the next visit.
/// </summary>
public sealed class CheckPageTests : ConsentHubComponentTest, IClassFixture<DatabaseFixture>
{
    private readonly DatabaseFixture _database;
    private readonly ConsentChangeNotifications _changes = new(NullLogger<ConsentChangeNotifications>.Instance);

    public CheckPageTests(DatabaseFixture database)
    {
        _database = database;
        UseDatabase(database);
        Services.AddSingleton<ListIssueChoices>();
        Services.AddSingleton<SearchCheckablePupils>();
        Services.AddSingleton<CheckPupil>();
        Services.AddSingleton<CheckSession>();
        Services.AddSingleton(_changes);
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddScoped<ProtectedLocalStorage>();
        Services.AddScoped<CheckMemory>();
    }

    private void SignInTeacher(string userId, Guid academyId) =>
        Auth.SetAuthorized("teacher").SetRoles(StaffRoles.Teacher).SetClaims(
            new Claim(ClaimTypes.NameIdentifier, userId),
            new Claim(StaffClaims.Scope, StaffClaims.Format(StaffRoles.Teacher, ScopeLevel.Academy, academyId)));

    private static PupilCheckCard Card(CheckAnswer answer, string reason, bool doNotFeature = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "Zoë Ødegaard", "Year 3", "3W", doNotFeature, new DateTimeOffset(2026, 11, 30, 15, 5, 0, TimeSpan.Zero),
            [new PurposeCheck("academy-social", "Academy social media", answer, reason, null)]);

    [Theory]
    [InlineData(CheckAnswer.Yes, "Yes — may be featured", "Yes")]
    [InlineData(CheckAnswer.No, "No — do not feature", "No")]
    [InlineData(CheckAnswer.NotYet, "Not yet — no answer", "Unknown")]
    public void TheCard_SaysEachStatusInWordsAndAnSvgSymbol_WithItsReasonAndWhenItLastChanged(CheckAnswer answer, string words, string icon)
    {
        var card = Render<CheckCardView>(p => p.Add(c => c.Card, Card(answer, "A parent agreed on 3 Sep 2026.")));

        var purpose = card.Find("li.check-purpose");
        Assert.Contains("Academy social media", purpose.TextContent, StringComparison.Ordinal);
        Assert.Equal(words, purpose.QuerySelector(".check-status")!.TextContent.Trim());
        // The symbol is drawn, not a character a phone's fonts may lack; hidden from screen readers (the words say it).
        var svg = purpose.QuerySelector(".check-status svg")!;
        Assert.Equal(icon, svg.GetAttribute("data-icon"));
        Assert.Equal("true", svg.GetAttribute("aria-hidden"));
        Assert.Equal("A parent agreed on 3 Sep 2026.", purpose.QuerySelector(".check-reason")!.TextContent);
        Assert.Equal("Last changed 30 Nov 2026, 15:05", card.Find(".check-changed").TextContent);
        Assert.Empty(card.FindAll("[role=alert]"));
    }

    [Fact]
    public void TheBanner_ShowsForADoNotFeaturePupil_AndSaysOnlyThat()
    {
        var card = Render<CheckCardView>(p => p.Add(c => c.Card, Card(CheckAnswer.No, "Do not photograph or feature.", doNotFeature: true)));

        Assert.Equal("Do not photograph or feature", card.Find("[role=alert]").TextContent.Trim());
        Assert.Equal("Stop", card.Find("[role=alert] svg").GetAttribute("data-icon"));
    }

    [Fact]
    public async Task ATeacher_SearchesAPartialAccentFreeName_OpensTheCard_AndAFlaggedPupilShowsTheBannerButNotTheReason()
    {
        TestTrust t;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            var (flora, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 2, "2B", "Flóra", "Bannerman");
            await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 2, "2B", "Flóra", "Bannerwoman");
            db.SafeguardingFlags.Add(new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = flora.Id, AcademyId = t.NorthAcademyId, Reason = "Adoption placement", SetBy = "dsl", SetAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        SignInTeacher("t-search", t.NorthAcademyId);

        var page = Render<Check>();
        page.WaitForElement("#check-search");
        await page.InvokeAsync(() => page.Find("#check-search").Input("flora bann"));
        page.WaitForAssertion(() => Assert.Contains("Flóra Bannerman", Assert.Single(page.FindAll("button.check-result")).TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.Find("button.check-result").Click());

        page.WaitForAssertion(() =>
        {
            Assert.Contains("Do not photograph or feature", page.Find("[role=alert]").TextContent, StringComparison.Ordinal);
            var statuses = page.FindAll("li.check-purpose .check-status");
            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Contains("No — do not feature", s.TextContent, StringComparison.Ordinal));
        });
        Assert.DoesNotContain("Adoption", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCardHeading_NamesThePupilBesideTheAnswer()
    {
        var card = Render<CheckCardView>(p => p.Add(c => c.Card, Card(CheckAnswer.No, "A parent withdrew on 3 Sep 2026.")));

        var heading = card.Find("h2.check-card-name");
        Assert.Equal("Zoë Ødegaard: Do not feature", heading.TextContent.Trim());
    }

    [Fact]
    public async Task ANewQuery_ClearsTheOpenCard_SoNoChildsAnswerShowsUnderAnotherSearch()
    {
        TestTrust t;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            var (noah, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4S", "Noah", "Shawcard");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4S", "Musa", "Hussaincard");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4K", "Musa", "Khancard");
            db.SafeguardingFlags.Add(new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = noah.Id, AcademyId = t.NorthAcademyId, Reason = "Court order", SetBy = "dsl", SetAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        SignInTeacher("t-clear", t.NorthAcademyId);

        var page = Render<Check>();
        page.WaitForElement("#check-search").Input("shawcard");
        page.WaitForElement("button.check-result").Click();
        page.WaitForAssertion(() => Assert.Equal("Noah Shawcard: Do not feature", page.Find("section.check-card h2").TextContent.Trim()));

        page.Find("#check-search").Input("musa");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("button.check-result").Count));
        Assert.Empty(page.FindAll("section.check-card"));
        Assert.DoesNotContain("Noah", page.Markup, StringComparison.Ordinal);

        // And after "no pupil found" too.
        page.Find("button.check-result").Click();
        page.WaitForAssertion(() => Assert.StartsWith("Musa", page.Find("section.check-card h2").TextContent, StringComparison.Ordinal));
        page.Find("#check-search").Input("zzz");
        page.WaitForAssertion(() => Assert.Contains("No pupil found", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("section.check-card"));
    }

    [Fact]
    public async Task TheSessionGrid_ShowsTheClassForOnePurpose_FiltersToWhoCannotBeFeatured_AndFollowsAWithdrawal()
    {
        TestTrust t;
        Pupil amy;
        Contact amyMum;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            (amy, amyMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5G", "Amy", "Gridley");
            var (ben, benMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5G", "Ben", "Gridley");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5G", "Cai", "Gridley");
            db.ConsentAnswers.Add(Answer(t, amy.Id, amyMum.Id, AnswerKind.Grant));
            db.ConsentAnswers.Add(Answer(t, ben.Id, benMum.Id, AnswerKind.Refuse));
            await db.SaveChangesAsync();
        }
        SignInTeacher("t-grid", t.NorthAcademyId);

        var page = Render<Check>();
        page.WaitForElement("button.check-mode");
        await page.InvokeAsync(() => page.FindAll("button.check-mode")[1].Click());
        page.WaitForElement("#check-who");
        await page.InvokeAsync(() => page.Find("#check-who").Change("group=5G"));
        await page.InvokeAsync(() => page.Find("#check-purpose").Change(TestTrust.Social));

        page.WaitForAssertion(() =>
        {
            Assert.Contains("2 of 3 cannot be featured for Academy social media", page.Find(".check-session-summary").TextContent, StringComparison.Ordinal);
            Assert.Equal(3, page.FindAll("li.check-grid-row").Count);
        });
        await page.InvokeAsync(() => page.Find("#check-only-cannot").Change(true));
        page.WaitForAssertion(() => Assert.Equal(["Ben Gridley", "Cai Gridley"], page.FindAll("li.check-grid-row .check-grid-name").Select(a => a.TextContent)));

        // Amy's parent withdraws: the listener would announce it; the open grid re-reads.
        await using (var db = _database.CreateDbContext())
        {
            db.ConsentAnswers.Add(Answer(t, amy.Id, amyMum.Id, AnswerKind.Withdraw));
            await db.SaveChangesAsync();
        }
        _changes.Publish(new ConsentChange(t.NorthAcademyId, new HashSet<Guid> { amy.Id }));

        page.WaitForAssertion(() =>
        {
            Assert.Contains("3 of 3", page.Find(".check-session-summary").TextContent, StringComparison.Ordinal);
            Assert.Equal(3, page.FindAll("li.check-grid-row").Count);
            Assert.Contains("No — do not feature", page.Find($"li[data-pupil='{amy.Id}']").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TheCompactGrid_ShowsNameAndAnSvgAnswer_AndALiveWithdrawalIsNamedAndHighlighted()
    {
        TestTrust t;
        Pupil thao;
        Contact thaoMum;
        Pupil olek;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            (thao, thaoMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4L", "Thảo", "Đặng");
            Contact olekMum;
            (olek, olekMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 4, "4L", "Olek", "Łukasz");
            db.ConsentAnswers.Add(Answer(t, thao.Id, thaoMum.Id, AnswerKind.Grant));
            db.ConsentAnswers.Add(Answer(t, olek.Id, olekMum.Id, AnswerKind.Grant));
            await db.SaveChangesAsync();
        }
        SignInTeacher("t-compact", t.NorthAcademyId);

        var page = Render<Check>();
        page.WaitForElement("button.check-mode");
        await page.InvokeAsync(() => page.FindAll("button.check-mode")[1].Click());
        page.WaitForElement("#check-who");
        await page.InvokeAsync(() => page.Find("#check-who").Change("group=4L"));
        await page.InvokeAsync(() => page.Find("#check-purpose").Change(TestTrust.Social));
        page.WaitForElement("#check-compact");
        await page.InvokeAsync(() => page.Find("#check-compact").Change(true));

        page.WaitForAssertion(() =>
        {
            var row = page.Find($"ul.check-grid-compact li[data-pupil='{thao.Id}']");
            Assert.Equal("Thảo Đặng", row.QuerySelector(".check-grid-name")!.TextContent);
            Assert.Equal("Yes", row.QuerySelector("svg")!.GetAttribute("data-icon"));
            // Screen readers hear the answer in words; the reason is left out of the compact list.
            Assert.Equal("Yes — may be featured", row.QuerySelector(".visually-hidden")!.TextContent);
            Assert.Null(row.QuerySelector(".check-reason"));
        });
        Assert.Empty(page.FindAll(".check-live-change"));

        await using (var db = _database.CreateDbContext())
        {
            db.ConsentAnswers.Add(Answer(t, thao.Id, thaoMum.Id, AnswerKind.Withdraw));
            await db.SaveChangesAsync();
        }
        _changes.Publish(new ConsentChange(t.NorthAcademyId, new HashSet<Guid> { thao.Id }));

        page.WaitForAssertion(() =>
        {
            var change = Assert.Single(page.FindAll(".check-live[role=status] .check-live-change"));
            Assert.StartsWith("Thảo Đặng: consent withdrawn just now", change.TextContent.Trim(), StringComparison.Ordinal);
            var row = page.Find($"li[data-pupil='{thao.Id}']");
            Assert.Contains("check-just-changed", row.ClassList);
            Assert.Equal("No", row.QuerySelector("svg")!.GetAttribute("data-icon"));
            Assert.DoesNotContain("check-just-changed", page.Find($"li[data-pupil='{olek.Id}']").ClassList);
        });
    }

    [Fact]
    public async Task TheLastClassPurposeAndRecentPupils_AreRestoredFromThisDevice_ForTheSameTeacherOnly()
    {
        TestTrust t;
        Pupil zoe;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            (zoe, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 6, "6R", "Zoë", "Remembered");
        }
        SignInTeacher("t-memory", t.NorthAcademyId);

        // First visit: check a pupil, then choose a class and purpose for a session.
        var first = Render<Check>();
        first.WaitForElement("#check-search");
        await first.InvokeAsync(() => first.Find("#check-search").Input("remem"));
        first.WaitForElement("button.check-result");
        await first.InvokeAsync(() => first.Find("button.check-result").Click());
        first.WaitForAssertion(() => first.Find("section.check-card"));
        await first.InvokeAsync(() => first.FindAll("button.check-mode")[1].Click());
        first.WaitForElement("#check-who");
        await first.InvokeAsync(() => first.Find("#check-who").Change("group=6R"));
        await first.InvokeAsync(() => first.Find("#check-purpose").Change(TestTrust.Displays));
        first.WaitForAssertion(() => first.Find("li.check-grid-row"));

        // The page writes the device before it reads the grid, so once a row shows the last write holds the session.
        var last = JSInterop.Invocations["localStorage.setItem"][^1];
        var key = (string)last.Arguments[0]!;
        var value = (string)last.Arguments[1]!;
        Assert.Equal(CheckMemory.KeyFor("staff:t-memory"), key);
        // Encrypted and signed: neither the name nor the id can be read off the device.
        Assert.DoesNotContain("Remembered", value, StringComparison.Ordinal);
        Assert.DoesNotContain(zoe.Id.ToString(), value, StringComparison.Ordinal);
        first.Dispose();

        // Next visit on the same phone: the stored value is handed back.
        JSInterop.Setup<string>("localStorage.getItem", i => (string?)i.Arguments[0] == key).SetResult(value);
        var again = Render<Check>();
        again.WaitForAssertion(() => Assert.Contains("Zoë Remembered", again.Find("ul[aria-label='Recently checked']").TextContent, StringComparison.Ordinal));
        await again.InvokeAsync(() => again.FindAll("button.check-mode")[1].Click());
        again.WaitForAssertion(() =>
        {
            Assert.Single(again.FindAll("li.check-grid-row"));
            Assert.Equal("group=6R", again.Find("#check-who").GetAttribute("value"));
            Assert.Equal(TestTrust.Displays, again.Find("#check-purpose").GetAttribute("value"));
        });
        again.Dispose();

        // Another teacher on the same phone gets nothing of it.
        SignInTeacher("t-other", t.NorthAcademyId);
        var other = Render<Check>();
        other.WaitForElement("#check-search");
        Assert.Empty(other.FindAll("ul[aria-label='Recently checked']"));
    }

    [Fact]
    public async Task SearchResultsAndTheSessionGrid_ListNamesInTheOneOrder_DangAfterDaltonAndBeforeDyer_LukaszWithTheLs()
    {
        TestTrust t;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            // Added out of order; a code-point order would put Đặng after Dyer and Łukasz after Lyons.
            foreach (var surname in new[] { "Łukasz", "Dyer", "Đặng", "Lyons", "Dalton", "Lewis" })
                await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 8, "8Q", "Ordella", surname);
        }
        string[] expected = ["Ordella Dalton", "Ordella Đặng", "Ordella Dyer", "Ordella Lewis", "Ordella Łukasz", "Ordella Lyons"];
        SignInTeacher("t-order", t.NorthAcademyId);

        var page = Render<Check>();
        page.WaitForElement("#check-search");
        await page.InvokeAsync(() => page.Find("#check-search").Input("ordella"));
        page.WaitForAssertion(() => Assert.Equal(expected, page.FindAll("button.check-result .check-result-name").Select(n => n.TextContent)));

        await page.InvokeAsync(() => page.FindAll("button.check-mode")[1].Click());
        page.WaitForElement("#check-who");
        await page.InvokeAsync(() => page.Find("#check-who").Change("group=8Q"));
        await page.InvokeAsync(() => page.Find("#check-purpose").Change(TestTrust.Social));
        page.WaitForAssertion(() => Assert.Equal(expected, page.FindAll("li.check-grid-row .check-grid-name").Select(a => a.TextContent)));
    }

    [Fact]
    public async Task TheClassPicker_GroupsClassesUnderTheirYear_YoungestYearFirst_WholeYearThenItsClasses()
    {
        TestTrust t;
        await using (var db = _database.CreateDbContext())
        {
            t = await TestTrust.CreateAsync(db);
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 10, "10A", "Pia", "Picker");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 7, "7B", "Rui", "Picker");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 7, "7A", "Sol", "Picker");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 0, "RW", "Tam", "Picker");
        }
        SignInTeacher("t-picker", t.NorthAcademyId);

        var page = Render<Check>();
        page.WaitForElement("button.check-mode");
        await page.InvokeAsync(() => page.FindAll("button.check-mode")[1].Click());

        page.WaitForAssertion(() =>
        {
            var groups = page.FindAll("#check-who optgroup");
            Assert.Equal(["Reception", "Year 7", "Year 10"], groups.Select(g => g.GetAttribute("label")));
            Assert.Equal(["All of Year 7", "Class 7A", "Class 7B"], groups[1].QuerySelectorAll("option").Select(o => o.TextContent));
            Assert.Equal(["year=7", "group=7A", "group=7B"], groups[1].QuerySelectorAll("option").Select(o => o.GetAttribute("value")));
        });

        // Choosing a whole year from its section still opens that year's grid.
        await page.InvokeAsync(() => page.Find("#check-who").Change("year=7"));
        await page.InvokeAsync(() => page.Find("#check-purpose").Change(TestTrust.Social));
        page.WaitForAssertion(() => Assert.Equal(["Rui Picker", "Sol Picker"], page.FindAll("li.check-grid-row .check-grid-name").Select(a => a.TextContent)));
    }

    private static ConsentAnswer Answer(TestTrust t, Guid pupilId, Guid contactId, AnswerKind kind) => new()
    {
        PupilId = pupilId,
        AcademyId = t.NorthAcademyId,
        PurposeId = t.SocialPurposeId,
        PartyKind = PartyKind.Contact,
        ContactId = contactId,
        Kind = kind,
        Method = AnswerMethod.Paper,
        FormVersionId = t.FormVersionId,
        At = DateTimeOffset.UtcNow.AddSeconds(kind == AnswerKind.Withdraw ? 0 : -60),
        RecordedAt = DateTimeOffset.UtcNow,
        RecordedBy = "test",
        Attested = true,
    };
}
