using System.Text;
using ConsentHub.Access;
using ConsentHub.Consent;
using ConsentHub.Pupils;
using ConsentHub.Requests;
using ConsentHub.Signing;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Pupils;

/// <summary>
/// Issue 16's import traps: a mistyped UPN, a second copy of a pupil under another id, a new-starters file imported
/// as "every pupil on roll", and open requests left to a contact a court order now bars.
/// </summary>
public sealed class ImportTrapsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly DateOnly Today = new(2026, 11, 24);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private static readonly AccessScope Office = AccessScope.Trust("office@north.example");

    private const string Header = "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,Contact Forename,Contact Surname,Relationship,Parental Responsibility,No Contact Order,Email";

    // Valid UPNs (check letter computed by the DfE rule): A123456789012; P123456789013; temporary: the last character a letter.
    private const string Zoe = "A123456789012";
    private const string Max = "P123456789013";

    private ImportPupils Handler() => new(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database, _clock), _clock);

    private static PupilImportData Csv(params string[] lines) =>
        ReadPupilImportFile.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", [Header, .. lines]) + "\r\n"), Today);

    private static string Row(string upn, string surname, string forename, string dob = "14/03/2014", string year = "8",
        string contact = "Jane", string pr = "Yes", string noContact = "No") =>
        $"{upn},{surname},{forename},{dob},{year},{year}X,{contact},{surname},Mother,{pr},{noContact},{contact.ToLowerInvariant()}.{surname.ToLowerInvariant()}@example.org";

    private async Task<ImportPupils.Result.Report> ImportAsync(Guid academyId, PupilImportData data, bool full = false, bool dryRun = false, int? confirm = null) =>
        Assert.IsType<ImportPupils.Result.Report>(await Handler().HandleAsync(Office, new ImportPupils.Request(academyId, data, full, dryRun, ConfirmedLeavers: confirm)));

    [Theory]
    [InlineData("A123456789012")]
    [InlineData("P123456789013")]
    [InlineData("a123456789012")]
    public void Upn_WithTheRightCheckLetter_IsValid(string upn) => Assert.Null(Upn.Problem(upn));

    [Fact]
    public void TemporaryUpn_WithALetterLast_IsValid()
    {
        // The check letter of a temporary UPN counts the last letter by its place in the DfE table.
        var twelve = "82020512345" + "A";
        var upn = $"{Upn.CheckLetterFor(twelve)}{twelve}";
        Assert.Null(Upn.Problem(upn));
        Assert.NotNull(Upn.Problem((upn[0] == 'A' ? 'B' : 'A') + twelve));
    }

    [Theory]
    [InlineData("B123456789012", "fails its check letter (it should start with A")]
    [InlineData("A123456789021", "fails its check letter")] // two digits swapped
    [InlineData("A12345678901", "has 12 characters")]
    [InlineData("A1234567890I2", "after the first letter come 11 digits")]
    public void MistypedUpn_SaysWhatIsWrong(string upn, string says) => Assert.Contains(says, Upn.Problem(upn), StringComparison.Ordinal);

    [Fact]
    public async Task MistypedUpn_RejectsTheRowWithItsLine_AndWritesNothing()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);

        var report = await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe"), Row("B123456789013", "Brown", "Max")));

        Assert.False(report.Committed);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Contains("fails its check letter", rejected.Reason, StringComparison.Ordinal);
        Assert.False(await db.Pupils.AnyAsync(p => p.AcademyId == t.NorthAcademyId));
    }

    [Fact]
    public async Task UpnColumnOfMostlyUpns_AShortIdIsRejectedToo()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);

        var report = await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe"), Row(Max, "Brown", "Max"), Row("A12345678901", "Cole", "Ann")), dryRun: true);

        Assert.Contains("has 12 characters", Assert.Single(report.Rejected, r => r.Line == 4).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewPupilWithTheNameAndBirthdayOfOneOnRoll_IsFlaggedInTheDryRun()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Ødegaard", "Zoë")));

        // The same child under a mistyped but valid-looking id (an admission number instead of the UPN).
        var report = await ImportAsync(t.NorthAcademyId, Csv(Row("ADN4411", "Odegaard", "Zoe")), dryRun: true);

        var flagged = Assert.Single(report.PossibleDuplicates);
        Assert.Equal("ADN4411", flagged.MisId);
        Assert.Equal(2, flagged.Line);
        Assert.Contains($"same name and date of birth as {Zoe}, already on roll", flagged.What);
    }

    [Fact]
    public async Task FullImport_MarkingOverFivePercentAsLeavers_IsHeldUntilTheNumberIsTyped()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe"), Row(Max, "Brown", "Max")));
        var starters = Csv(Row("ADN1", "Cole", "Ann"));

        var dry = await ImportAsync(t.NorthAcademyId, starters, full: true, dryRun: true);
        Assert.True(dry.LeaversNeedConfirmation);
        Assert.Equal(2, dry.Leavers.Count);
        Assert.Equal(2, dry.OnRoll);

        var unconfirmed = await ImportAsync(t.NorthAcademyId, starters, full: true);
        Assert.False(unconfirmed.Committed);
        var wrong = await ImportAsync(t.NorthAcademyId, starters, full: true, confirm: 1);
        Assert.False(wrong.Committed);
        Assert.Equal(0, await db.Pupils.CountAsync(p => p.AcademyId == t.NorthAcademyId && p.LeftOn != null));

        var confirmed = await ImportAsync(t.NorthAcademyId, starters, full: true, confirm: 2);
        Assert.True(confirmed.Committed);
        Assert.Equal(2, await db.Pupils.CountAsync(p => p.AcademyId == t.NorthAcademyId && p.LeftOn != null));
    }

    [Fact]
    public async Task FullImport_WithAFewLeavers_NeedsNoConfirmation()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var rows = Enumerable.Range(1, 21).Select(i => Row($"ADN{i}", "Pupil" + i, "Sam")).ToArray();
        await ImportAsync(t.NorthAcademyId, Csv(rows));

        var report = await ImportAsync(t.NorthAcademyId, Csv(rows[1..]), full: true);

        Assert.False(report.LeaversNeedConfirmation); // 1 of 21 is under 5 %
        Assert.True(report.Committed);
    }

    [Theory]
    [InlineData("No", "No", ImportPupils.NoParentalResponsibilityReason)]
    [InlineData("Yes", "Yes", ImportPupils.NoContactOrderReason)]
    public async Task ImportBarringAContact_CancelsTheirOpenRequest_WithTheReason(string noContactOrder, string pr, string reason)
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe")));
        var pupil = await db.Pupils.SingleAsync(p => p.AcademyId == t.NorthAcademyId && p.MisId == Zoe);
        var mum = await db.PupilContacts.Where(pc => pc.PupilId == pupil.Id).Select(pc => pc.ContactId).SingleAsync();
        var request = new SignatureRequest
        {
            Id = Guid.NewGuid(),
            PupilId = pupil.Id,
            AcademyId = t.NorthAcademyId,
            FormVersionId = t.FormVersionId,
            PartyKind = PartyKind.Contact,
            ContactId = mum,
            IssuedAt = _clock.GetUtcNow(),
            IssuedBy = "office",
            TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()),
            ShortCode = SigningSecrets.NewShortCode(),
            ExpiresAt = _clock.GetUtcNow().AddDays(30),
        };
        db.SignatureRequests.Add(request);
        await db.SaveChangesAsync();

        var dry = await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe", pr: pr, noContact: noContactOrder)), dryRun: true);
        Assert.Equal(1, dry.RequestsCancelled);
        Assert.Equal(RequestStatus.Open, (await db.SignatureRequests.AsNoTracking().SingleAsync(r => r.Id == request.Id)).Status);

        var done = await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe", pr: pr, noContact: noContactOrder)));

        Assert.True(done.Committed);
        var after = await db.SignatureRequests.AsNoTracking().SingleAsync(r => r.Id == request.Id);
        Assert.Equal(RequestStatus.Cancelled, after.Status);
        Assert.Equal(reason, after.CancelReason);
        Assert.Equal(_clock.GetUtcNow(), after.CancelledAt);
    }

    [Fact]
    public async Task ImportKeepingTheContact_LeavesTheirRequestOpen()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe")));
        var pupil = await db.Pupils.SingleAsync(p => p.AcademyId == t.NorthAcademyId && p.MisId == Zoe);
        var mum = await db.PupilContacts.Where(pc => pc.PupilId == pupil.Id).Select(pc => pc.ContactId).SingleAsync();
        db.SignatureRequests.Add(new SignatureRequest
        {
            Id = Guid.NewGuid(),
            PupilId = pupil.Id,
            AcademyId = t.NorthAcademyId,
            FormVersionId = t.FormVersionId,
            PartyKind = PartyKind.Contact,
            ContactId = mum,
            IssuedAt = _clock.GetUtcNow(),
            IssuedBy = "office",
            TokenHash = SigningSecrets.HashToken(SigningSecrets.NewToken()),
            ShortCode = SigningSecrets.NewShortCode(),
            ExpiresAt = _clock.GetUtcNow().AddDays(30),
        });
        await db.SaveChangesAsync();

        var report = await ImportAsync(t.NorthAcademyId, Csv(Row(Zoe, "Adams", "Zoe", year: "9")));

        Assert.True(report.Committed);
        Assert.Equal(0, report.RequestsCancelled);
        Assert.True(await db.SignatureRequests.AnyAsync(r => r.PupilId == pupil.Id && r.Status == RequestStatus.Open));
    }
}
