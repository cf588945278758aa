using ConsentHub.Consent;
using ConsentHub.Files;
using ConsentHub.PaperReturns;
using ConsentHub.Requests;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using ConsentHub.Tests.Forms;
using ConsentHub.Tests.Requests;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Tests.PaperReturns;

/// <summary>Office staff record a returned paper form by its code; bad input records nothing and says why.</summary>
public sealed class RecordPaperReturnTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    private readonly RequestsTestSupport _support = new(database);

    private FindPaperReturn Find() => new(new AuditTestSupport.ContextFactory(database));

    private RecordPaperReturn Record() => new(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database, _support.Clock), _support.Clock);

    private async Task<(TestTrust Trust, FindPaperReturn.Found Form)> ArrangeAsync()
    {
        var t = await FormsTestData.ArrangeAsync(database, _support);
        await using var db = database.CreateDbContext();
        var zoe = await db.Pupils.Where(p => p.AcademyId == t.NorthAcademyId && p.LegalFirstName == "Zoë").Select(p => p.Id).SingleAsync();
        var code = await db.SignatureRequests.Where(r => r.PupilId == zoe).Select(r => r.ShortCode).SingleAsync();
        // Typed as people do: lower case, with the dash from the form.
        var typed = SigningSecrets.FormatShortCode(code.Trim()).ToLowerInvariant();
        var found = Assert.IsType<FindPaperReturn.Result.Match>(await Find().ByCodeAsync(RequestsTestSupport.Office(t.NorthAcademyId), typed)).Request;
        return (t, found);
    }

    private async Task<int> AnswerCountAsync(Guid pupilId)
    {
        await using var db = database.CreateDbContext();
        return await db.ConsentAnswers.CountAsync(a => a.PupilId == pupilId);
    }

    [Fact]
    public async Task ASignedForm_IsRecordedAsPaperByTheStaffMember_WithTheScanAndItsHash()
    {
        var (t, form) = await ArrangeAsync();
        Assert.Equal("Zoë Ødegaard-Smith", form.PupilName);
        Assert.Equal(["internal-displays", "academy-social"], form.Uses.Select(u => u.Key));
        var office = RequestsTestSupport.Office(t.NorthAcademyId);

        var recorded = Assert.IsType<RecordPaperReturn.Result.Recorded>(await Record().HandleAsync(office, new RecordPaperReturn.Request(form.RequestId,
            new Dictionary<string, bool> { ["internal-displays"] = true, ["academy-social"] = false }, Attested: true, new RecordPaperReturn.Scan("form.png", Png))));

        await using var db = database.CreateDbContext();
        var answers = await db.ConsentAnswers.AsNoTracking().Where(a => a.PupilId == form.PupilId).ToListAsync();
        Assert.Equal(2, answers.Count);
        Assert.All(answers, a =>
        {
            Assert.Equal(AnswerMethod.Paper, a.Method);
            Assert.True(a.Attested);
            Assert.Equal(office.Actor, a.RecordedBy);
            Assert.Equal("scan:" + recorded.ScanId!.Value.ToString("N"), a.ScanReference);
        });
        Assert.Equal(AnswerKind.Refuse, answers.Single(a => a.PurposeId == t.SocialPurposeId).Kind);
        var scan = await db.PaperScans.AsNoTracking().SingleAsync(s => s.Id == recorded.ScanId);
        Assert.Equal("image/png", scan.ContentType);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Png), scan.Sha256);
        Assert.Equal(RequestStatus.Answered, (await db.SignatureRequests.SingleAsync(r => r.Id == form.RequestId)).Status);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "consent.paper-return-recorded" && e.PupilId == form.PupilId));
    }

    [Theory]
    [InlineData("not-attested")]
    [InlineData("missing-answer")]
    [InlineData("text-named-pdf")]
    [InlineData("too-big")]
    [InlineData("empty-scan")]
    [InlineData("future-date")]
    public async Task BadInput_RecordsNothing_AndSaysWhy(string problem)
    {
        var (t, form) = await ArrangeAsync();
        var answers = new Dictionary<string, bool> { ["internal-displays"] = true, ["academy-social"] = true };
        var request = new RecordPaperReturn.Request(form.RequestId, answers, Attested: true);
        (request, var expected) = problem switch
        {
            "not-attested" => (request with { Attested = false }, "Confirm that you have seen the signed form."),
            "missing-answer" => (request with { Answers = new Dictionary<string, bool> { ["internal-displays"] = true } }, "“Academy social media” (Yes or No)"),
            "text-named-pdf" => (request with { ScanFile = new("form.pdf", "Dear office, here is the form"u8.ToArray()) }, "“form.pdf” is not a PDF, JPEG or PNG file"),
            "too-big" => (request with { ScanFile = new("huge.png", [.. Png, .. new byte[PaperScan.MaxBytes]]) }, "the most is 10 MB"),
            "empty-scan" => (request with { ScanFile = new("empty.png", []) }, "The scan is an empty file."),
            _ => (request with { SignedOn = _support.Today.AddDays(3) }, "between the day the form was issued and today"),
        };

        var invalid = Assert.IsType<RecordPaperReturn.Result.Invalid>(await Record().HandleAsync(RequestsTestSupport.Office(t.NorthAcademyId), request));

        Assert.Contains(invalid.Problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.Equal(0, await AnswerCountAsync(form.PupilId));
        await using var db = database.CreateDbContext();
        Assert.False(await db.PaperScans.AnyAsync(s => s.PupilId == form.PupilId));
        Assert.Equal(RequestStatus.Open, (await db.SignatureRequests.SingleAsync(r => r.Id == form.RequestId)).Status);
    }

    [Fact]
    public async Task AnotherAcademysForm_IsNotFound_ByCodeOrById()
    {
        var (t, form) = await ArrangeAsync();
        var south = RequestsTestSupport.Office(t.SouthAcademyId);
        Assert.IsType<FindPaperReturn.Result.NotFound>(await Find().ByCodeAsync(south, form.ShortCode));
        Assert.IsType<RecordPaperReturn.Result.NotFound>(await Record().HandleAsync(south, new RecordPaperReturn.Request(form.RequestId,
            new Dictionary<string, bool> { ["internal-displays"] = true, ["academy-social"] = true }, Attested: true)));
        Assert.Equal(0, await AnswerCountAsync(form.PupilId));
        var typo = Assert.IsType<FindPaperReturn.Result.NotFound>(await Find().ByCodeAsync(south, "0000-0000"));
        Assert.Contains("8-character code", typo.Message, StringComparison.Ordinal);
    }
}
