using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Email;
using ConsentHub.Forms;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Pdf;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Requests;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsentHub.Tests.Forms;

/// <summary>
/// A class pack: office staff ask, the job lays out one form per party who must answer on paper (or everyone),
/// stores the PDF with its progress, and a second run changes nothing. Another academy's office gets nothing.
/// </summary>
public sealed class FormPackTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private readonly RequestsTestSupport _support = new(database);
    private readonly RecordingJobs _jobs = new();

    private sealed class RecordingJobs : IBackgroundJobClient
    {
        public List<Job> Enqueued { get; } = [];
        public string Create(Job job, IState state) { Enqueued.Add(job); return Enqueued.Count.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }

    private LoadConsentForms Load() => new(database.DataSource, Options.Create(_support.Signing), _support.Clock);

    private RequestFormPack Request() => new(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database, _support.Clock), _jobs, _support.Clock);

    private BuildFormPack Build() => new(new AuditTestSupport.ContextFactory(database), Load(),
        new RenderConsentForms(new FormTemplates(Options.Create(new TemplateOptions()))), _support.Clock, NullLogger<BuildFormPack>.Instance);

    private GetFormPack Get() => new(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database, _support.Clock), _support.Clock);

    private Task<TestTrust> ArrangeAsync() => FormsTestData.ArrangeAsync(database, _support);

    [Fact]
    public async Task AClassPackOfPaperForms_IsBuiltOnce_WithTheFormsOfThoseWithoutEmail()
    {
        var t = await ArrangeAsync();
        var office = RequestsTestSupport.Office(t.NorthAcademyId);

        var queued = Assert.IsType<RequestFormPack.Result.Queued>(await Request().HandleAsync(office, new RequestFormPack.Request(t.NorthAcademyId, null, "3W", OnlyWithoutEmail: true)));
        Assert.Single(_jobs.Enqueued);
        Assert.Equal(nameof(BuildFormPack.RunAsync), _jobs.Enqueued[0].Method.Name);
        Assert.Equal(FormPackStatus.Queued, (await Get().StatusAsync(office, queued.PackId))!.State);

        await Build().RunAsync(queued.PackId, CancellationToken.None);

        var status = (await Get().StatusAsync(office, queued.PackId))!;
        Assert.Equal(FormPackStatus.Ready, status.State);
        Assert.Equal(2, status.Total);
        Assert.Equal(2, status.Done);
        var download = (await Get().DownloadAsync(office, queued.PackId))!;
        PdfInspection.Keep("form-pack-3W-paper.pdf", download.Pdf);
        var pages = PdfInspection.PageTexts(download.Pdf);
        Assert.Equal(status.Pages, pages.Count);
        var text = string.Join("\n", pages);
        Assert.Contains("Zoë Ødegaard-Smith", text, StringComparison.Ordinal);
        Assert.Contains("Parent wording for social media.", text, StringComparison.Ordinal);
        // The Polish mother's form is in Polish, with the Polish wording of the form version.
        Assert.Contains("Zdjęcia i filmy: Łukasz", text, StringComparison.Ordinal);
        Assert.Contains("Polskie brzmienie: social media.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Emailed Parent", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Other Class", text, StringComparison.Ordinal);
        Assert.DoesNotContain("South Pupil", text, StringComparison.Ordinal);
        // Each form's QR code opens the short-code page for that form's own request.
        var requests = await _support.RequestsAsync(t.NorthAcademyId);
        var codes = PdfInspection.ReadQrCodes(PdfInspection.RenderPng(download.Pdf, 1));
        var code = Assert.Single(codes);
        Assert.StartsWith(RequestsTestSupport.PublicBaseUrl + "sign?code=", code, StringComparison.Ordinal);
        Assert.Contains(requests, r => code.EndsWith(r.ShortCode.Trim(), StringComparison.Ordinal));

        // A second run (a retry) leaves the finished pack alone.
        await Build().RunAsync(queued.PackId, CancellationToken.None);
        Assert.Equal(download.Pdf, (await Get().DownloadAsync(office, queued.PackId))!.Pdf);
        await using var db = database.CreateDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "forms.pack-requested" && e.EntityId == queued.PackId.ToString()));
    }

    [Fact]
    public async Task AClassPack_PrintsThePupilsInTheOneNameOrder_DangAfterDaltonAndBeforeDyer()
    {
        var t = await ArrangeAsync();
        var office = RequestsTestSupport.Office(t.NorthAcademyId);
        var group = "3" + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        await using (var db = database.CreateDbContext())
        {
            // Added out of order: a code-point order would put Đặng after Dyer.
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, group, "Ava", "Dyer");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, group, "Thảo", "Đặng");
            await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 3, group, "Ben", "Dalton");
        }
        var formVersion = (await _support.RequestsAsync(t.NorthAcademyId))[0].FormVersionId;
        Assert.IsType<IssueConsentRequests.Result.Issued>(await _support.Issue().HandleAsync(office,
            new IssueConsentRequests.Request(t.NorthAcademyId, formVersion, IssueAudience.Classes(group), _support.Today.AddDays(14), IssueDelivery.EmailWherePossible)));

        var queued = Assert.IsType<RequestFormPack.Result.Queued>(await Request().HandleAsync(office, new RequestFormPack.Request(t.NorthAcademyId, null, group, OnlyWithoutEmail: false)));
        await Build().RunAsync(queued.PackId, CancellationToken.None);
        var pdf = (await Get().DownloadAsync(office, queued.PackId))!.Pdf;
        PdfInspection.Keep("form-pack-name-order.pdf", pdf);

        var text = string.Join("\n", PdfInspection.PageTexts(pdf));
        var dalton = text.IndexOf("Ben Dalton", StringComparison.Ordinal);
        var dang = text.IndexOf("Thảo Đặng", StringComparison.Ordinal);
        var dyer = text.IndexOf("Ava Dyer", StringComparison.Ordinal);
        Assert.True(dalton >= 0 && dang >= 0 && dyer >= 0, text);
        Assert.True(dalton < dang && dang < dyer, $"Expected Dalton, Đặng, Dyer: {text}");
    }

    [Fact]
    public async Task EveryoneAsked_IncludesThoseWithEmail()
    {
        var t = await ArrangeAsync();
        var office = RequestsTestSupport.Office(t.NorthAcademyId);
        var queued = Assert.IsType<RequestFormPack.Result.Queued>(await Request().HandleAsync(office, new RequestFormPack.Request(t.NorthAcademyId, 3, null, OnlyWithoutEmail: false)));
        await Build().RunAsync(queued.PackId, CancellationToken.None);
        var text = string.Join("\n", PdfInspection.PageTexts((await Get().DownloadAsync(office, queued.PackId))!.Pdf));
        Assert.Contains("Emailed Parent", text, StringComparison.Ordinal);
        Assert.Contains("Zoë Ødegaard-Smith", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Other Class", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherAcademysOffice_CannotAskForOrDownloadThePack_AndAnEmptySelectionSaysWhy()
    {
        var t = await ArrangeAsync();
        var north = RequestsTestSupport.Office(t.NorthAcademyId);
        var south = RequestsTestSupport.Office(t.SouthAcademyId);

        var refused = Assert.IsType<RequestFormPack.Result.Invalid>(await Request().HandleAsync(south, new RequestFormPack.Request(t.NorthAcademyId, null, "3W", true)));
        Assert.Equal("Choose one of your academies.", refused.Message);
        var empty = Assert.IsType<RequestFormPack.Result.Invalid>(await Request().HandleAsync(north, new RequestFormPack.Request(t.NorthAcademyId, null, "11Z", true)));
        Assert.Contains("in class 11Z: issue the form first", empty.Message, StringComparison.Ordinal);

        var queued = Assert.IsType<RequestFormPack.Result.Queued>(await Request().HandleAsync(north, new RequestFormPack.Request(t.NorthAcademyId, null, "3W", true)));
        await Build().RunAsync(queued.PackId, CancellationToken.None);
        Assert.Null(await Get().StatusAsync(south, queued.PackId));
        Assert.Null(await Get().DownloadAsync(south, queued.PackId));
        Assert.NotNull(await Get().DownloadAsync(north, queued.PackId));
    }
}
