using System.Text;
using ConsentHub.Access;
using ConsentHub.Data;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Ordering;
using ConsentHub.Tests.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Tests.Pupils;

/// <summary>
/// The MIS import against a real database: what the dry run reports, what a commit writes, and that bad input and
/// a repeated file write nothing at all.
/// </summary>
[LongRunning(10)]
public sealed class ImportPupilsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly DateOnly Today = new(2026, 11, 24);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private static readonly AccessScope Office = AccessScope.Trust("office@north.example");

    private const string Header = "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group,Contact Title,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Email";

    private ImportPupils Handler() => new(new AuditTestSupport.ContextFactory(database), AuditTestSupport.Log(database, _clock), _clock);

    private static PupilImportData Csv(params string[] lines) =>
        ReadPupilImportFile.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", [Header, .. lines]) + "\r\n"), Today);

    private static string Row(string upn, string surname, string forename, string dob, string year, string group,
        string contactForename = "Jane", string? contactSurname = null, string relationship = "Mother", string pr = "Yes", string? email = null) =>
        $"{upn},{surname},{forename},,{dob},{year},{group},Mrs,{contactForename},{contactSurname ?? surname},{relationship},{pr},{email ?? $"{contactForename.ToLowerInvariant()}.{upn.ToLowerInvariant()}@example.org"}";

    private async Task<ImportPupils.Result.Report> ImportAsync(Guid academyId, PupilImportData data, bool full = false, bool dryRun = false, int? confirmLeavers = null)
    {
        var result = await Handler().HandleAsync(Office, new ImportPupils.Request(academyId, data, full, dryRun, ConfirmedLeavers: confirmLeavers));
        return Assert.IsType<ImportPupils.Result.Report>(result);
    }

    /// <summary>Every row version of the import's tables and the audit chain: any insert, update or delete changes it.</summary>
    private async Task<string> FingerprintAsync()
    {
        await using var db = database.CreateDbContext();
        return await db.Database.SqlQuery<string>($"""
            SELECT coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY id) FROM consenthub.pupils), '') || '|' ||
                   coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY id) FROM consenthub.contacts), '') || '|' ||
                   coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY pupil_id, contact_id) FROM consenthub.pupil_contacts), '') || '|' ||
                   coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY pupil_id) FROM consenthub.pupil_consent_facts), '') || '|' ||
                   (SELECT count(*)::text FROM consenthub.audit_entries) AS "Value"
            """).SingleAsync();
    }

    private static Task<List<Pupil>> PupilsAsync(ConsentHubDbContext db, Guid academyId) =>
        db.Pupils.AsNoTracking().Include(p => p.Contacts).ThenInclude(c => c.Contact).Where(p => p.AcademyId == academyId).OrderBy(p => p.MisId).ToListAsync();

    [Fact]
    public async Task FirstImport_AddsPupilsAndContacts_SharesASiblingsParent_AndAudits()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var data = Csv(
            Row("U1", "Khan", "Aisha", "14/03/2014", "8", "8K", email: "sana@example.org", contactForename: "Sana"),
            Row("U1", "Khan", "Aisha", "14/03/2014", "8", "8K", contactForename: "Imran", relationship: "Father", email: "imran@example.org"),
            Row("U2", "Khan", "Yusuf", "02/10/2019", "2", "2A", email: "sana@example.org", contactForename: "Sana"));
        Assert.Empty(data.Rejected);

        var report = await ImportAsync(t.NorthAcademyId, data);

        Assert.True(report.Committed);
        Assert.Equal(["U1", "U2"], report.Added.Select(a => a.MisId));
        var pupils = await PupilsAsync(db, t.NorthAcademyId);
        Assert.Equal(2, pupils.Count);
        Assert.Equal(2, pupils[0].Contacts.Count);
        var sana = pupils[0].Contacts.Single(c => c.Contact!.FirstName == "Sana").ContactId;
        Assert.Equal(sana, pupils[1].Contacts.Single().ContactId);
        // Audited with counts, never with names or emails.
        var payload = await db.Database.SqlQuery<string>(
            $"SELECT payload AS \"Value\" FROM consenthub.audit_entries WHERE action = 'pupils.imported' AND entity_id = {t.NorthAcademyId.ToString()}").SingleAsync();
        Assert.Contains("\"added\":2", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("Khan", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.org", payload, StringComparison.Ordinal);
        // The check read model knows the new pupils.
        Assert.Equal(2, await db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM consenthub.pupil_consent_facts WHERE academy_id = {t.NorthAcademyId}").SingleAsync());
    }

    [Fact]
    public async Task Preview_ABlankPreferredName_ShowsTheLegalName_AsThePupilListDoes()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(Row("B1", "Kowalska", "Zofia", "14/03/2014", "8", "8K")));

        // The file reader trims a blank cell to nothing; the preview must not depend on that: staging rows whose
        // preferred forename is only spaces name the pupil by the legal forename, as the pupils' display_name does.
        static PupilImportData BlankPreferred(PupilImportData data) =>
            data with { Pupils = [.. data.Pupils.Select(p => p with { PreferredFirstName = "   " })] };
        var preview = await ImportAsync(t.NorthAcademyId, BlankPreferred(Csv(
            Row("B1", "Kowalska-Nowak", "Zofia", "14/03/2014", "8", "8K"),
            Row("B2", "Mureșan", "Ioana", "02/09/2013", "8", "8M"))), dryRun: true);

        Assert.Equal("Ioana Mureșan", Assert.Single(preview.Added).Name);
        Assert.Equal("Zofia Kowalska-Nowak", Assert.Single(preview.Changed, c => c.MisId == "B1").Name);

        await ImportAsync(t.NorthAcademyId, BlankPreferred(Csv(Row("B2", "Mureșan", "Ioana", "02/09/2013", "8", "8M"))));
        var listed = await db.Database.SqlQuery<string>($"SELECT display_name AS \"Value\" FROM consenthub.pupils WHERE mis_id = 'B2'").SingleAsync();
        Assert.Equal("Ioana Mureșan", listed);
    }

    [Fact]
    public async Task DryRun_ReportsAddsChangesAndLeavers_AndWritesNothing()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(
            Row("D1", "Jones", "Tom", "14/03/2014", "8", "8J"),
            Row("D2", "Patel", "Ria", "14/03/2014", "8", "8P")));
        var before = await FingerprintAsync();

        var report = await ImportAsync(t.NorthAcademyId, Csv(
            Row("D1", "Jones", "Tom", "14/03/2014", "9", "9J"),
            Row("D3", "Okafor", "Ada", "02/10/2019", "2", "2A")), full: true, dryRun: true);

        Assert.False(report.Committed);
        Assert.Equal("D3", Assert.Single(report.Added).MisId);
        var change = Assert.Single(report.Changed);
        Assert.Equal("D1", change.MisId);
        Assert.Contains("year group", change.What);
        Assert.Contains("registration group", change.What);
        Assert.Equal("D2", Assert.Single(report.Leavers).MisId);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task ReimportingTheSameFile_ChangesNothing_AndWritesNothing()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var data = Csv(
            Row("R1", "Brown", "Ella", "14/03/2014", "8", "8B"),
            Row("R1", "Brown", "Ella", "14/03/2014", "8", "8B", contactForename: "Mark", relationship: "Father"),
            Row("R2", "Green", "Leo", "02/10/2019", "2", "2G"));
        await ImportAsync(t.NorthAcademyId, data, full: true);
        var before = await FingerprintAsync();

        var again = await ImportAsync(t.NorthAcademyId, data, full: true);

        Assert.True(again.NothingToChange);
        Assert.False(again.Committed);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task FullImport_MarksMissingPupilsAsLeft_NeverDeletes_AndAPartialImportLeavesThemAlone()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(Row("L1", "Hill", "Sam", "14/03/2014", "8", "8H"), Row("L2", "Ward", "Kim", "14/03/2014", "8", "8W")));

        var partial = await ImportAsync(t.NorthAcademyId, Csv(Row("L1", "Hill", "Sam", "14/03/2014", "8", "8H")), full: false);
        Assert.Empty(partial.Leavers);

        var full = await ImportAsync(t.NorthAcademyId, Csv(Row("L1", "Hill", "Sam", "14/03/2014", "8", "8H")), full: true, confirmLeavers: 1);
        Assert.True(full.Committed);
        Assert.Equal("L2", Assert.Single(full.Leavers).MisId);
        var pupils = await PupilsAsync(db, t.NorthAcademyId);
        Assert.Equal(2, pupils.Count);
        Assert.Equal(Today, pupils.Single(p => p.MisId == "L2").LeftOn);
        Assert.Single(pupils.Single(p => p.MisId == "L2").Contacts);

        // Back on roll: the next file has the pupil again.
        var back = await ImportAsync(t.NorthAcademyId, Csv(Row("L1", "Hill", "Sam", "14/03/2014", "8", "8H"), Row("L2", "Ward", "Kim", "14/03/2014", "8", "8W")), full: true);
        Assert.Contains("back on roll", Assert.Single(back.Changed).What);
        Assert.Null((await PupilsAsync(db, t.NorthAcademyId)).Single(p => p.MisId == "L2").LeftOn);
    }

    [Fact]
    public async Task YearGroupChange_ReachesTheCheckReadModel()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(Row("Y1", "Lee", "Max", "14/03/2014", "7", "7L")));

        await ImportAsync(t.NorthAcademyId, Csv(Row("Y1", "Lee", "Max", "14/03/2014", "8", "8L")));

        var year = await db.Database.SqlQuery<int>($"""
            SELECT (f.facts->>'year')::int AS "Value" FROM consenthub.pupil_consent_facts f
            JOIN consenthub.pupils p ON p.id = f.pupil_id WHERE p.academy_id = {t.NorthAcademyId} AND p.mis_id = 'Y1'
            """).SingleAsync();
        Assert.Equal(8, year);
        Assert.Equal(0, await Checks.ConsentFactsTests.StaleFactsAsync(db));
    }

    [Fact]
    public async Task ContactsChange_RemovedParentIsUnlinked_NewEmailIsKept_AndANoContactOrderRecordedHereSurvives()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, Csv(
            Row("C1", "Shaw", "Ivy", "14/03/2014", "8", "8S", email: "jane@example.org"),
            Row("C1", "Shaw", "Ivy", "14/03/2014", "8", "8S", contactForename: "Paul", relationship: "Father", email: "paul@example.org")));
        var paul = (await PupilsAsync(db, t.NorthAcademyId)).Single().Contacts.Single(c => c.Contact!.FirstName == "Paul");
        await db.PupilContacts.Where(pc => pc.PupilId == paul.PupilId && pc.ContactId == paul.ContactId)
            .ExecuteUpdateAsync(s => s.SetProperty(pc => pc.NoContactOrder, true));

        var report = await ImportAsync(t.NorthAcademyId, Csv(
            Row("C1", "Shaw", "Ivy", "14/03/2014", "8", "8S", email: "jane.shaw@example.org"),
            Row("C1", "Shaw", "Ivy", "14/03/2014", "8", "8S", contactForename: "Paul", relationship: "Father", email: "paul@example.org")));

        Assert.Contains("contacts", Assert.Single(report.Changed).What);
        var contacts = (await PupilsAsync(db, t.NorthAcademyId)).Single().Contacts;
        Assert.Equal("jane.shaw@example.org", contacts.Single(c => c.Contact!.FirstName == "Jane").Contact!.Email);
        Assert.True(contacts.Single(c => c.Contact!.FirstName == "Paul").NoContactOrder);

        await ImportAsync(t.NorthAcademyId, Csv(Row("C1", "Shaw", "Ivy", "14/03/2014", "8", "8S", email: "jane.shaw@example.org")));
        Assert.Equal("Jane", Assert.Single((await PupilsAsync(db, t.NorthAcademyId)).Single().Contacts).Contact!.FirstName);
    }

    [Fact]
    public async Task ColumnsTheFileDoesNotHave_LeaveWhatConsentHubHoldsAlone()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await ImportAsync(t.NorthAcademyId, ReadPupilImportFile.Read(Encoding.UTF8.GetBytes(
            Header + "\r\n" + "K1,Khan,Aisha,Ash,14/03/2014,8,8K,Mrs,Sana,Khan,Mother,Yes,sana@example.org\r\n"), Today));

        // A pupils-only export: no preferred names, no contacts; the year group moved on.
        var report = await ImportAsync(t.NorthAcademyId, ReadPupilImportFile.Read(Encoding.UTF8.GetBytes(
            "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group\r\nK1,Khan,Aisha,14/03/2014,9,9K\r\n"), Today));

        Assert.Equal(["year group", "registration group"], Assert.Single(report.Changed).What);
        var pupil = (await PupilsAsync(db, t.NorthAcademyId)).Single();
        Assert.Equal("Ash", pupil.PreferredFirstName);
        Assert.Equal(9, pupil.YearGroup);
        Assert.Equal("Sana", Assert.Single(pupil.Contacts).Contact!.FirstName);
    }

    [Fact]
    public async Task RejectedRows_AreAllListedWithLineNumbers_AndNothingIsWritten()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var before = await FingerprintAsync();
        var data = Csv(
            Row("B1", "Good", "Row", "14/03/2014", "8", "8G"),
            Row("B2", "Bad", "Date", "31/02/2014", "8", "8B"),
            Row("B3", "Bad", "Year", "14/03/2014", "Y15", "8B"),
            Row("B4", "Bad", "Pr", "14/03/2014", "8", "8B", pr: "perhaps"));

        var report = await ImportAsync(t.NorthAcademyId, data);

        Assert.False(report.Committed);
        Assert.Equal([3, 4, 5], report.Rejected.Select(r => r.Line));
        Assert.Contains("'31/02/2014' is not a date", report.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'Y15' is not one", report.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("Parental responsibility 'perhaps'", report.Rejected[2].Reason, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Fact]
    public async Task AnAcademyOutsideTheScope_IsNotFound_AndUntouched()
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var before = await FingerprintAsync();

        var result = await Handler().HandleAsync(AccessScope.Academy(t.SouthAcademyId, "office@south.example"),
            new ImportPupils.Request(t.NorthAcademyId, Csv(Row("S1", "Hale", "Ann", "14/03/2014", "8", "8H")), Full: true, DryRun: false));

        Assert.IsType<ImportPupils.Result.NotFound>(result);
        Assert.Equal(before, await FingerprintAsync());
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        { "empty.csv", "The file is empty." },
        { "whitespace-only.csv", "The file is empty." },
        { "header-only.csv", "header but no pupils" },
        { "missing-columns.csv", "no column for Date of Birth, Year" },
        { "duplicate-column.csv", "The column 'Year' appears twice." },
        { "alias-clash.csv", "'UPN' and 'Adno' both give UPN" },
        { "excel-workbook.xlsx", "not a CSV file" },
        { "binary-renamed.csv", "not text" },
        { "no-header.csv", "does not name the columns" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task MalformedFile_GivesAClearMessage_AndWritesNothing(string file, string message)
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var before = await FingerprintAsync();
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Features", "Pupils", "ImportCorpus", file));
        var data = await ReadPupilImportFile.ReadAsync(stream, file, Today);

        var result = await Handler().HandleAsync(Office, new ImportPupils.Request(t.NorthAcademyId, data, Full: true, DryRun: false));

        var invalid = Assert.IsType<ImportPupils.Result.Invalid>(result);
        Assert.Contains(message, invalid.Problem, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync());
    }

    public static TheoryData<string, int, string> FilesWithBadRows => new()
    {
        { "duplicate-pupil.csv", 3, "Duplicate pupil: MIS id A123456789012 is already on line 2" },
        { "impossible-date.csv", 2, "'31/02/2014' is not a date" },
        { "impossible-year.csv", 2, "'15' is not one" },
        { "year-does-not-fit-age.csv", 2, "Year 11 does not fit the date of birth 02/10/2019" },
        { "unclosed-quote.csv", 3, "fields but the header has" },
    };

    [Theory]
    [MemberData(nameof(FilesWithBadRows))]
    public async Task FileWithBadRows_NamesTheLineAndReason_AndWritesNothing(string file, int line, string reason)
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var before = await FingerprintAsync();
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Features", "Pupils", "ImportCorpus", file));
        var data = await ReadPupilImportFile.ReadAsync(stream, file, Today);

        var report = await ImportAsync(t.NorthAcademyId, data, full: true);

        Assert.False(report.Committed);
        var rejected = Assert.Single(report.Rejected, r => r.Line == line);
        Assert.Contains(reason, rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync());
    }

    [Theory]
    [InlineData("windows-1252.csv")]
    [InlineData("utf8-bom.csv")]
    [InlineData("utf8.csv")]
    [InlineData("mis-aliases.csv")]
    public async Task Encodings_AndHeaderAliases_ReadNamesCorrectly(string file)
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Features", "Pupils", "ImportCorpus", file));
        var data = await ReadPupilImportFile.ReadAsync(stream, file, Today);
        Assert.Null(data.Problem);
        Assert.Empty(data.Rejected);

        await ImportAsync(t.NorthAcademyId, data);

        var zoe = (await PupilsAsync(db, t.NorthAcademyId)).Single(p => p.MisId == "A123456789012");
        Assert.Equal("Zoë", zoe.LegalFirstName);
        Assert.Equal("Ødegaard", zoe.LegalLastName);
        Assert.Equal("7B", zoe.RegistrationGroup);
        var mum = Assert.Single(zoe.Contacts);
        Assert.True(mum.HasParentalResponsibility);
        Assert.Equal("Ingrid Ødegaard", $"{mum.Contact!.FirstName} {mum.Contact.LastName}");
    }

    [Fact]
    public async Task AFileOver50MB_IsRefused_BeforeItIsRead()
    {
        await using var big = new RepeatingStream(Encoding.UTF8.GetBytes(Header + "\r\n"), ReadPupilImportFile.MaxBytes + 1);

        var data = await ReadPupilImportFile.ReadAsync(big, "pupils.csv", Today);

        Assert.Contains("larger than 50 MB", data.Problem, StringComparison.Ordinal);
    }

    /// <summary>A stream of the given length without holding it in memory.</summary>
    private sealed class RepeatingStream(byte[] start, long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++) buffer[offset + i] = _position + i < start.Length ? start[_position + i] : (byte)'x';
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
