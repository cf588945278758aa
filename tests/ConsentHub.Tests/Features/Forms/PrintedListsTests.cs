using System.Text.Json;
using ConsentHub.Access;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Forms;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Testing.Pdf;
using ConsentHub.Tests.Trust;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Forms;

/// <summary>
/// The do-not-feature list a teacher prints for a photo session, and the headteacher's consent summary, read back
/// from the PDF as a person would read them.
/// </summary>
[LongRunning(10)]
public sealed class PrintedListsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string SafeguardingReason = "Court order: father must not learn the school";

    // 14:05 in London on a school afternoon.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 14, 5, 0, TimeSpan.Zero));
    private readonly RecordingAuditLog _audit = new();

    private ConsentStatusReader Reader() => new(database.DataSource, new ConsentReferenceCache(database.DataSource, _clock), _clock);

    private LoadDoNotFeatureList List() => new(database.DataSource, Reader(), _audit, _clock);

    private LoadAcademySummary Summary() => new(database.DataSource, new CountConsentByAcademy(database.DataSource, Reader()), _audit, _clock);

    private static AccessScope Teacher(Guid academyId) => AccessScope.Academy(academyId, "staff:teacher-" + academyId.ToString("N")[..6]);

    private sealed record Class5B(TestTrust Trust, string Group, Pupil Leo, Pupil Amelia);

    /// <summary>
    /// Class 5B (unique per test) at North: Amelia agreed to everything; Rita's mother refused social media; Wanda's
    /// withdrew it; Una's mother has a form and has not answered; Nico was never asked; Dora's mother objected to
    /// displays only; Zoë has a safeguarding flag; Leo left last month. A Year 5 pupil of another class and a South
    /// pupil in a class of the same name are not in the list.
    /// </summary>
    private async Task<Class5B> ArrangeAsync()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var group = "5" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var now = _clock.GetUtcNow();

        ConsentAnswer Answer(Pupil p, Contact c, Guid purpose, AnswerKind kind, int daysAgo) => new()
        {
            PupilId = p.Id,
            AcademyId = p.AcademyId,
            PurposeId = purpose,
            PartyKind = PartyKind.Contact,
            ContactId = c.Id,
            Kind = kind,
            Method = AnswerMethod.Paper,
            FormVersionId = t.FormVersionId,
            At = now.AddDays(-daysAgo),
            RecordedAt = now,
            RecordedBy = "test",
            Attested = true,
        };

        var (amelia, ameliaMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Amelia", "Adams");
        var (rita, ritaMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Rita", "Roberts");
        var (wanda, wandaMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Wanda", "Walsh");
        var (una, unaMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Una", "Underwood");
        await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Nico", "Nowak");
        var (dora, doraMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Dora", "Dąbrowska");
        var (zoe, zoeMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Zoë", "Ødegaard-Smith");
        var (leo, leoMum) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group, "Leo", "Leaver");
        await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, group + "X", "Other", "Classmate");
        await TestTrust.AddPupilAsync(db, t.SouthAcademyId, 5, group, "Sam", "Southern");

        db.ConsentAnswers.AddRange(
            Answer(amelia, ameliaMum, t.SocialPurposeId, AnswerKind.Grant, 20),
            Answer(rita, ritaMum, t.SocialPurposeId, AnswerKind.Refuse, 12),
            Answer(wanda, wandaMum, t.SocialPurposeId, AnswerKind.Grant, 30),
            Answer(wanda, wandaMum, t.SocialPurposeId, AnswerKind.Withdraw, 2),
            Answer(dora, doraMum, t.SocialPurposeId, AnswerKind.Grant, 20),
            Answer(dora, doraMum, t.DisplaysPurposeId, AnswerKind.Refuse, 20),
            Answer(zoe, zoeMum, t.SocialPurposeId, AnswerKind.Grant, 20),
            Answer(leo, leoMum, t.SocialPurposeId, AnswerKind.Refuse, 40));
        db.SignatureRequests.Add(new SignatureRequest
        {
            Id = Guid.NewGuid(),
            PupilId = una.Id,
            AcademyId = t.NorthAcademyId,
            FormVersionId = t.FormVersionId,
            PartyKind = PartyKind.Contact,
            ContactId = unaMum.Id,
            IssuedAt = now.AddDays(-5),
            IssuedBy = "office",
            TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()),
            ShortCode = SigningSecrets.NewShortCode(),
            ExpiresAt = now.AddDays(30),
        });
        db.SafeguardingFlags.Add(new SafeguardingFlag { Id = Guid.NewGuid(), PupilId = zoe.Id, AcademyId = t.NorthAcademyId, Reason = SafeguardingReason, SetBy = "dsl", SetAt = now.AddDays(-3) });
        await db.SaveChangesAsync();
        leo.LeftOn = new DateOnly(2026, 10, 31);
        await db.SaveChangesAsync();
        return new Class5B(t, group, leo, amelia);
    }

    private static DoNotFeatureList Loaded(LoadDoNotFeatureList.Result result) => Assert.IsType<LoadDoNotFeatureList.Result.Loaded>(result).List;

    [Fact]
    public async Task ClassList_ForSocialMedia_ListsExactlyThoseWhoMayNotBeFeatured_WithTheirReasons_NeverTheSafeguardingReason()
    {
        var c = await ArrangeAsync();
        var list = Loaded(await List().HandleAsync(Teacher(c.Trust.NorthAcademyId), new(c.Trust.NorthAcademyId, TestTrust.Social, RegistrationGroup: c.Group)));

        // By surname, as a register reads: Ødegaard-Smith with the Os.
        Assert.Equal(["Nico Nowak", "Zoë Ødegaard-Smith", "Rita Roberts", "Una Underwood", "Wanda Walsh"], list.Pupils.Select(p => p.Name));
        Assert.All(list.Pupils, p => Assert.Equal(c.Group, p.Class));
        Assert.Equal(2, list.MayBeFeatured); // Amelia and Dora

        var pdf = DoNotFeatureListDocument.Render(list);
        PdfInspection.Keep("do-not-feature-class-social.pdf", pdf);
        PdfInspection.Keep("do-not-feature-class-social.png", PdfInspection.RenderPng(pdf));
        var pages = PdfInspection.PageTexts(pdf);
        Assert.Single(pages);
        var text = pages[0];
        Assert.Contains("North Academy", text, StringComparison.Ordinal);
        Assert.Contains($"Class {c.Group}", text, StringComparison.Ordinal);
        Assert.Contains("Academy social media", text, StringComparison.Ordinal);
        Assert.Contains("Correct at 14:05 on 24 Nov 2026", text, StringComparison.Ordinal);
        Assert.Contains("check the app for changes", text, StringComparison.Ordinal);
        Assert.Contains("Zoë Ødegaard-Smith", text, StringComparison.Ordinal);
        Assert.Contains("Do not photograph or feature", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Court order", text, StringComparison.Ordinal);
        Assert.Contains("Rita Roberts", text, StringComparison.Ordinal);
        Assert.Contains("Refused by a parent on 12 Nov 2026", text, StringComparison.Ordinal);
        Assert.Contains("Withdrawn by a parent on 22 Nov 2026", text, StringComparison.Ordinal);
        Assert.Contains("Not yet answered by a parent", text, StringComparison.Ordinal);
        Assert.Contains("Not asked yet", text, StringComparison.Ordinal);
        Assert.Contains($"2 of 7 pupils in Class {c.Group} may be featured", text, StringComparison.Ordinal);
        foreach (var absent in new[] { "Amelia", "Dora", "Leo Leaver", "Other Classmate", "Sam Southern", "Jane" })
            Assert.DoesNotContain(absent, text, StringComparison.Ordinal);
        Assert.True(PdfInspection.InkCoverage(PdfInspection.RenderPng(pdf)) > 0.005);
    }

    [Fact]
    public async Task ThePrintedList_OrdersNamesAsTheCheckPageDoes_DangAfterDaltonAndBeforeDyer()
    {
        Guid academy;
        var group = "4" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        await using (var db = database.CreateDbContext())
        {
            var t = await TestTrust.CreateAsync(db);
            academy = t.NorthAcademyId;
            // Added out of order; none asked yet, so all three are listed. A code-point order would put Đặng after Dyer.
            await TestTrust.AddPupilAsync(db, academy, 4, group, "Ava", "Dyer");
            await TestTrust.AddPupilAsync(db, academy, 4, group, "Thảo", "Đặng");
            await TestTrust.AddPupilAsync(db, academy, 4, group, "Ben", "Dalton");
        }

        var list = Loaded(await List().HandleAsync(Teacher(academy), new(academy, TestTrust.Social, RegistrationGroup: group)));
        var pdf = DoNotFeatureListDocument.Render(list);
        PdfInspection.Keep("do-not-feature-name-order.pdf", pdf);

        var text = string.Join("\n", PdfInspection.PageTexts(pdf));
        var dalton = text.IndexOf("Ben Dalton", StringComparison.Ordinal);
        var dang = text.IndexOf("Thảo Đặng", StringComparison.Ordinal);
        var dyer = text.IndexOf("Ava Dyer", StringComparison.Ordinal);
        Assert.True(dalton >= 0 && dang >= 0 && dyer >= 0, text);
        Assert.True(dalton < dang, $"Đặng should follow Dalton: {text}");
        Assert.True(dang < dyer, $"Đặng should come before Dyer: {text}");
    }

    [Fact]
    public async Task AnotherPurpose_GivesAnotherList()
    {
        var c = await ArrangeAsync();
        var list = Loaded(await List().HandleAsync(Teacher(c.Trust.NorthAcademyId), new(c.Trust.NorthAcademyId, TestTrust.Displays, RegistrationGroup: c.Group)));

        // Internal displays are a public task: only an objection, the safeguarding flag (or leaving) stops them.
        Assert.Equal(["Dora Dąbrowska", "Zoë Ødegaard-Smith"], list.Pupils.Select(p => p.Name));
        Assert.Equal(5, list.MayBeFeatured);
        var pdf = DoNotFeatureListDocument.Render(list);
        PdfInspection.Keep("do-not-feature-class-displays.pdf", pdf);
        var text = string.Join("\n", PdfInspection.PageTexts(pdf));
        Assert.Contains("Internal displays", text, StringComparison.Ordinal);
        Assert.Contains("Dora Dąbrowska", text, StringComparison.Ordinal);
        Assert.Contains("Refused by a parent on 4 Nov 2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Rita", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SafeguardingReason, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEventsChosenPupils_IncludeOneWhoHasLeft_AsLeft()
    {
        var c = await ArrangeAsync();
        var list = Loaded(await List().HandleAsync(Teacher(c.Trust.NorthAcademyId),
            new(c.Trust.NorthAcademyId, TestTrust.Social, PupilIds: [c.Leo.Id, c.Amelia.Id], EventName: "Choir at the cathedral")));

        var leo = Assert.Single(list.Pupils);
        Assert.Equal("Leo Leaver", leo.Name);
        Assert.Equal("Left the academy on 31 Oct 2026: not to be featured in new material", leo.Reason);
        Assert.Equal(1, list.MayBeFeatured);
        var text = string.Join("\n", PdfInspection.PageTexts(DoNotFeatureListDocument.Render(list)));
        Assert.Contains("Choir at the cathedral", text, StringComparison.Ordinal);
        Assert.Contains("1 of 2 pupils in Choir at the cathedral may be featured", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APostingPause_PutsEveryoneOnTheListForSocialMedia_ButNotForDisplays()
    {
        var c = await ArrangeAsync();
        await using (var db = database.CreateDbContext())
        {
            db.PostingPauses.Add(new ConsentHub.Trust.PostingPause
            {
                Id = Guid.NewGuid(),
                Scope = ConsentHub.Trust.PauseScope.Academy,
                ScopeId = c.Trust.NorthAcademyId,
                From = _clock.GetUtcNow().AddHours(-1),
                Until = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero),
                Reason = "Incident review",
                SetBy = "head",
                SetAt = _clock.GetUtcNow().AddHours(-1),
            });
            await db.SaveChangesAsync();
        }

        var social = Loaded(await List().HandleAsync(Teacher(c.Trust.NorthAcademyId), new(c.Trust.NorthAcademyId, TestTrust.Social, RegistrationGroup: c.Group)));
        var displays = Loaded(await List().HandleAsync(Teacher(c.Trust.NorthAcademyId), new(c.Trust.NorthAcademyId, TestTrust.Displays, RegistrationGroup: c.Group)));

        Assert.Equal(7, social.Pupils.Count);
        Assert.Equal(0, social.MayBeFeatured);
        Assert.Contains(social.Pupils, p => p.Name == "Amelia Adams" && p.Reason.StartsWith("Posting paused until 30 Nov 2026", StringComparison.Ordinal));
        Assert.Equal("Do not photograph or feature", social.Pupils.Single(p => p.Name == "Zoë Ødegaard-Smith").Reason);
        Assert.Equal(2, displays.Pupils.Count);
    }

    [Fact]
    public async Task ThePrint_IsAudited_WithCountsAndNoNames()
    {
        var c = await ArrangeAsync();
        var teacher = Teacher(c.Trust.NorthAcademyId);
        Loaded(await List().HandleAsync(teacher, new(c.Trust.NorthAcademyId, TestTrust.Social, RegistrationGroup: c.Group)));

        var entry = Assert.Single(_audit.Reads);
        Assert.Equal("forms.do-not-feature-printed", entry.Action);
        Assert.Equal(teacher.Actor, entry.Actor);
        Assert.Equal(c.Trust.NorthAcademyId, entry.AcademyId);
        Assert.Equal(5, entry.Data!["listed"]);
        Assert.Equal(c.Group, entry.Data["class"]);
        Assert.Equal(TestTrust.Social, entry.Data["purpose"]);
        var json = JsonSerializer.Serialize(entry);
        foreach (var name in new[] { "Rita", "Roberts", "Zoë", "Nowak", "Court order" })
            Assert.DoesNotContain(name, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherAcademysStaff_FindNothing_AndBadInputIsNamed()
    {
        var c = await ArrangeAsync();
        var south = Teacher(c.Trust.SouthAcademyId);

        Assert.IsType<LoadDoNotFeatureList.Result.NotFound>(await List().HandleAsync(south, new(c.Trust.NorthAcademyId, TestTrust.Social, RegistrationGroup: c.Group)));
        Assert.Null(await Summary().HandleAsync(south, c.Trust.NorthAcademyId));
        Assert.Empty(_audit.Reads);

        var north = Teacher(c.Trust.NorthAcademyId);
        var unknown = Assert.IsType<LoadDoNotFeatureList.Result.Invalid>(await List().HandleAsync(north, new(c.Trust.NorthAcademyId, "no-such-purpose", RegistrationGroup: c.Group)));
        Assert.Contains("no-such-purpose", unknown.Message, StringComparison.Ordinal);
        Assert.IsType<LoadDoNotFeatureList.Result.Invalid>(await List().HandleAsync(north, new(c.Trust.NorthAcademyId, TestTrust.Social, RegistrationGroup: c.Group, YearGroup: 5)));
        Assert.IsType<LoadDoNotFeatureList.Result.Invalid>(await List().HandleAsync(north, new(c.Trust.NorthAcademyId, TestTrust.Social)));
        Assert.IsType<LoadDoNotFeatureList.Result.Invalid>(await List().HandleAsync(north, new(c.Trust.NorthAcademyId, TestTrust.Social, YearGroup: 14)));
    }

    [Fact]
    public async Task TheSummary_ShowsTheOverviewsCounts_AndWhoIsAwaited_WithoutContactDetails()
    {
        var c = await ArrangeAsync();
        var head = AccessScope.Academy(c.Trust.NorthAcademyId, "staff:head");
        var expected = Assert.Single(await new CountConsentByAcademy(database.DataSource, Reader()).HandleAsync(head, c.Trust.NorthAcademyId));

        var summary = (await Summary().HandleAsync(head, c.Trust.NorthAcademyId))!;

        Assert.Equal(expected.Pupils, summary.Pupils);
        Assert.Equal(expected.Purposes.Select(p => p.PurposeName), summary.Purposes.Select(p => p.Name));
        foreach (var (want, got) in expected.Purposes.Zip(summary.Purposes))
            Assert.Equal(want.Counts.OrderBy(k => k.Key), got.Counts.OrderBy(k => k.Key));
        var una = Assert.Single(summary.Outstanding, o => o.Name == "Una Underwood");
        Assert.Equal(["Mother"], una.Awaited);
        Assert.Equal(c.Group, una.Class);

        var pdf = AcademySummaryDocument.Render(summary);
        PdfInspection.Keep("academy-summary.pdf", pdf);
        PdfInspection.Keep("academy-summary.png", PdfInspection.RenderPng(pdf));
        var text = string.Join("\n", PdfInspection.PageTexts(pdf));
        var social = expected.Purposes.Single(p => p.PurposeKey == TestTrust.Social);
        Assert.Contains("Academy social media " + string.Join(" ", AcademySummaryDocument.Statuses.Select(s => social.Counts[s])), text, StringComparison.Ordinal);
        Assert.Contains("Una Underwood", text, StringComparison.Ordinal);
        Assert.Contains("Mother", text, StringComparison.Ordinal);
        Assert.Contains("Correct at 14:05 on 24 Nov 2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.org", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SafeguardingReason, text, StringComparison.Ordinal);
        var audited = Assert.Single(_audit.Reads);
        Assert.Equal("forms.academy-summary-printed", audited.Action);
        Assert.DoesNotContain("Una", JsonSerializer.Serialize(audited), StringComparison.Ordinal);
    }
}
