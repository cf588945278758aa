using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Data;
using ConsentHub.Hosting;
using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ConsentHub.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ConsentHub.Benchmarks -- import</c>: times the MIS import in process
/// (no HTTP; the upload page and the API call the same handler). A fixed-seed CSV of 30,000 pupils and 50,000
/// contacts (4,000 pupils share a family with an older sibling) is imported into an empty migrated database, then
/// imported again (which must write nothing), then once more with every pupil moved up a year and a new
/// registration group (the September rollover, which rewrites every pupil and re-evaluates its consent facts).
/// </summary>
public static class ImportBenchmark
{
    public const int Pupils = 30_000;
    public const int Contacts = 50_000;

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        Console.WriteLine("Starting a private PostgreSQL cluster...");
        using var cluster = BenchmarkCluster.Start();
        const string database = "bench_import";
        cluster.Cluster.EnsureDatabase(database);
        var cs = cluster.Cluster.ConnectionString(database);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddConsentHubData(cs);
        services.AddConsentHubAudit();
        services.AddSingleton<ImportPupils>();
        await using var provider = services.BuildServiceProvider();
        await DatabaseBootstrap.MigrateAsync(provider, ct);
        Guid academyId;
        await using (var db = await provider.GetRequiredService<IDbContextFactory<ConsentHubDbContext>>().CreateDbContextAsync(ct))
            academyId = (await TestTrust.CreateAsync(db)).NorthAcademyId;

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var file = Generate(today, yearOffset: 0);
        var rollover = Generate(today, yearOffset: 1);
        Console.WriteLine(FormattableString.Invariant($"Generated {Pupils:N0} pupils, {Contacts:N0} contacts: {file.Length / 1024.0 / 1024.0:F1} MB of CSV"));

        var import = provider.GetRequiredService<ImportPupils>();
        var scope = AccessScope.Trust("benchmark");
        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();

        var first = await TimeAsync("first import", import, scope, academyId, file, today, ct);
        var before = await FingerprintAsync(dataSource, ct);
        var again = await TimeAsync("re-import, same file", import, scope, academyId, file, today, ct);
        var writesNothing = before == await FingerprintAsync(dataSource, ct);
        Console.WriteLine($"  re-import wrote nothing: {(writesNothing && again.NothingToChange ? "yes" : "NO")}");
        var rolled = await TimeAsync("rollover (every pupil up a year)", import, scope, academyId, rollover, today, ct);

        var ok = first.Committed && first.Added.Count == Pupils && writesNothing && again.NothingToChange && rolled.Changed.Count == Pupils;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM consenthub.pupils)::text || ' pupils, ' || (SELECT count(*) FROM consenthub.contacts) || ' contacts, ' || (SELECT count(*) FROM consenthub.pupil_contacts) || ' links'", conn))
            Console.WriteLine($"  database: {await count.ExecuteScalarAsync(ct)}");
        Console.WriteLine(ok ? "OK" : "FAILED: the counts above are not what the file says.");
        return ok ? 0 : 1;
    }

    private static async Task<ImportPupils.Result.Report> TimeAsync(string label, ImportPupils import, AccessScope scope, Guid academyId, byte[] file,
        DateOnly today, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var data = ReadPupilImportFile.Read(file, today);
        var read = watch.Elapsed;
        if (data.Problem is not null || data.Rejected.Count > 0)
            throw new InvalidOperationException($"The generated file does not read: {data.Problem ?? data.Rejected[0].Reason} (line {(data.Rejected.Count > 0 ? data.Rejected[0].Line : 0)})");
        var result = await import.HandleAsync(scope, new ImportPupils.Request(academyId, data, Full: true, DryRun: false), ct);
        var total = watch.Elapsed;
        var report = (ImportPupils.Result.Report)result;
        Console.WriteLine(FormattableString.Invariant(
            $"[{label}] {total.TotalSeconds:F2} s (read and check {read.TotalSeconds:F2} s, database {(total - read).TotalSeconds:F2} s): {report.Added.Count:N0} added, {report.Changed.Count:N0} changed, {report.Leavers.Count:N0} left, committed: {report.Committed}"));
        return report;
    }

    private static async Task<string> FingerprintAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT md5(coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY id) FROM consenthub.pupils), '') ||
                       coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY id) FROM consenthub.contacts), '') ||
                       coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY pupil_id, contact_id) FROM consenthub.pupil_contacts), '') ||
                       coalesce((SELECT string_agg(xmin::text || ctid::text, ',' ORDER BY pupil_id) FROM consenthub.pupil_consent_facts), '') ||
                       (SELECT count(*) FROM consenthub.audit_entries))
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static readonly string[] Forenames =
        ["Amelia", "Oliver", "Zoë", "Muhammad", "Aisha", "Jack", "Freya", "Noah", "Łucja", "Leo", "Isla", "Ravi", "Chloé", "Oscar", "Maya", "Finn",
         "Sofia", "Harry", "Ava", "Kacper", "Amara", "George", "Ella", "Yusuf", "Grace", "Theo", "Priya", "Arthur", "Nia", "Seán"];
    private static readonly string[] Surnames =
        ["Smith", "Jones", "Khan", "Ødegaard", "Patel", "Williams", "Nowak", "Brown", "O'Neill", "Taylor", "Ahmed", "Davies", "Evans", "Kowalski",
         "Wilson", "Thomas", "Roberts", "Hussain", "Walker", "Wright", "Okafor", "Green", "Hall", "Wood", "Begum", "Clarke", "Müller", "Singh"];
    private static readonly string[] Titles = ["Mrs", "Mr", "Ms", "Miss", "Dr", "Mx"];

    /// <summary>
    /// 26,000 families: 24,000 with two contacts, 2,000 with one (50,000 contacts). Pupils 1–26,000 found a family
    /// each; pupils 26,001–30,000 join an earlier family as a younger sibling. Ages fit year groups R–13.
    /// </summary>
    public static byte[] Generate(DateOnly today, int yearOffset)
    {
        var random = new Random(20261124);
        const int families = 26_000;
        var familySurname = new string[families];
        var familyContacts = new List<(string Title, string First, string Last, string Email, string Relationship)>[families];
        for (var f = 0; f < families; f++)
        {
            var surname = Surnames[random.Next(Surnames.Length)];
            familySurname[f] = surname;
            var n = f < 24_000 ? 2 : 1;
            familyContacts[f] = [];
            for (var c = 0; c < n; c++)
            {
                var first = Forenames[random.Next(Forenames.Length)];
                if (c == 1 && first == familyContacts[f][0].First) first = Forenames[(Array.IndexOf(Forenames, first) + 1) % Forenames.Length];
                familyContacts[f].Add((Titles[random.Next(Titles.Length)], first, surname,
                    string.Create(CultureInfo.InvariantCulture, $"parent{f}.{c}@example.org"), c == 0 ? "Mother" : "Father"));
            }
        }

        var schoolYearStart = today.Month >= 9 ? today.Year : today.Year - 1;
        var sb = new StringBuilder(16 * 1024 * 1024);
        sb.Append("UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group,Contact Title,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Email\r\n");
        for (var p = 0; p < Pupils; p++)
        {
            var family = p < families ? p : random.Next(families);
            var year = random.Next(0, 13); // R–12; the rollover moves them to 1–13
            var cohort = schoolYearStart - year - 5;
            var dob = new DateOnly(cohort, 9, 1).AddDays(random.Next(365));
            var upn = string.Create(CultureInfo.InvariantCulture, $"B{p + 1:D12}");
            var first = Forenames[random.Next(Forenames.Length)];
            var shownYear = year + yearOffset;
            var group = string.Create(CultureInfo.InvariantCulture, $"{(shownYear == 0 ? "R" : shownYear.ToString(CultureInfo.InvariantCulture))}{(char)('A' + random.Next(4))}");
            foreach (var c in familyContacts[family])
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"{upn},{Quote(familySurname[family])},{first},,{dob:dd'/'MM'/'yyyy},{shownYear},{group},{c.Title},{c.First},{Quote(c.Last)},{c.Relationship},Yes,{c.Email}\r\n");
            }
        }
        // Windows-1252 would lose Ł: MIS exports that have such names are UTF-8.
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Quote(string s) => s.Contains('\'', StringComparison.Ordinal) ? "\"" + s + "\"" : s;
}
