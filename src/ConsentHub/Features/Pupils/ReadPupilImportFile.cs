using System.Text;
using CsvHelper;

namespace ConsentHub.Pupils;

/// <summary>
/// The header names MIS exports use for each column (SIMS, Arbor, Bromcom, ScholarPack and hand-made sheets), compared
/// without case, spaces or punctuation. docs/IMPORT.md lists them.
/// </summary>
public static class ImportColumns
{
    public static readonly IReadOnlyDictionary<ImportField, string[]> Aliases = new Dictionary<ImportField, string[]>
    {
        [ImportField.MisId] = ["UPN", "MIS Id", "Pupil Id", "Student Id", "Admission Number", "Adno"],
        [ImportField.LegalFirstName] = ["Legal Forename", "Forename", "First Name", "Legal First Name", "Given Name"],
        [ImportField.LegalLastName] = ["Legal Surname", "Surname", "Last Name", "Legal Last Name", "Family Name"],
        [ImportField.PreferredFirstName] = ["Preferred Forename", "Preferred First Name", "Known As", "Chosen Forename"],
        [ImportField.PreferredLastName] = ["Preferred Surname", "Preferred Last Name", "Chosen Surname"],
        [ImportField.DateOfBirth] = ["Date of Birth", "DOB", "Birth Date"],
        [ImportField.YearGroup] = ["Year", "Year Group", "NC Year", "National Curriculum Year", "Curriculum Year"],
        [ImportField.RegistrationGroup] = ["Reg Group", "Registration Group", "Reg", "Form", "Form Group", "Tutor Group", "Class"],
        [ImportField.StartedOn] = ["Admission Date", "Date of Admission", "Entry Date", "Start Date"],
        [ImportField.SchoolEmail] = ["Pupil Email", "School Email", "Student Email"],
        [ImportField.ContactTitle] = ["Contact Title", "Title"],
        [ImportField.ContactFirstName] = ["Contact Forename", "Contact First Name", "Parent Forename"],
        [ImportField.ContactLastName] = ["Contact Surname", "Contact Last Name", "Parent Surname"],
        [ImportField.ContactEmail] = ["Email", "Contact Email", "Parent Email", "Email Address"],
        [ImportField.ContactPhone] = ["Phone", "Telephone", "Contact Phone", "Mobile", "Contact Mobile"],
        [ImportField.ContactLanguage] = ["Contact Language", "Preferred Language"],
        [ImportField.Relationship] = ["Relationship", "Contact Relationship", "Relation"],
        [ImportField.ParentalResponsibility] = ["Parental Responsibility", "Has Parental Responsibility", "PR"],
        [ImportField.NoContactOrder] = ["No Contact Order", "Court Order", "No Contact"],
        [ImportField.Priority] = ["Priority", "Contact Priority", "Contact Order"],
    };

    private static readonly Dictionary<string, ImportField> ByKey =
        Aliases.SelectMany(a => a.Value.Select(name => (Key: Key(name), Field: a.Key))).ToDictionary(x => x.Key, x => x.Field);

    /// <summary>"Legal Surname", "legal_surname" and "LEGAL-SURNAME" are the same header.</summary>
    public static string Key(string header)
    {
        var sb = new StringBuilder(header.Length);
        foreach (var ch in header)
        {
            if (char.IsLetterOrDigit(ch)) sb.Append(char.ToUpperInvariant(ch));
        }
        return sb.ToString();
    }

    public static ImportField? Find(string header) => ByKey.TryGetValue(Key(header), out var f) ? f : null;

    public static string Describe(ImportField field) => $"{Aliases[field][0]}";
}

/// <summary>
/// Reads a CSV export from the MIS (one row per pupil and contact) into checked rows. Works out the encoding itself:
/// UTF-8 with or without a byte order mark, UTF-16 with one, and otherwise Windows-1252 (what Excel writes when it
/// saves "CSV" on a UK Windows PC). Refuses, with a message to show the user, anything that is not a CSV file.
/// </summary>
public static class ReadPupilImportFile
{
    /// <summary>The largest file accepted: a large secondary's full export is a few megabytes.</summary>
    public const long MaxBytes = 50L * 1024 * 1024;

    private static readonly string[] AcceptedExtensions = [".csv", ".txt"];

    static ReadPupilImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Reads at most <see cref="MaxBytes"/> from <paramref name="stream"/>; a longer file is refused.</summary>
    public static async Task<PupilImportData> ReadAsync(Stream stream, string? fileName, DateOnly today, CancellationToken ct = default)
    {
        if (fileName is not null && !AcceptedExtensions.Contains(Path.GetExtension(fileName), StringComparer.OrdinalIgnoreCase))
        {
            return PupilImportData.Failed(
                $"'{Path.GetFileName(fileName)}' is not a CSV file. Export the pupils from the MIS as CSV (a .csv file) and upload that.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > MaxBytes) return PupilImportData.Failed(TooLarge);
            buffer.Write(chunk, 0, n);
        }
        return Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), today);
    }

    public static string TooLarge => $"The file is larger than {MaxBytes / 1024 / 1024} MB. Export only the pupils and contacts (no photos or other columns), or split it by year group.";

    public static PupilImportData Read(ReadOnlyMemory<byte> bytes, DateOnly today)
    {
        if (bytes.Length > MaxBytes) return PupilImportData.Failed(TooLarge);
        if (bytes.Length == 0) return PupilImportData.Failed("The file is empty.");

        var (utf8, problem) = ToUtf8(bytes.Span);
        if (problem is not null) return PupilImportData.Failed(problem);
        if (utf8.AsSpan().Trim(" \t\r\n"u8).IsEmpty) return PupilImportData.Failed("The file is empty.");

        var options = new CsvReaderOptions
        {
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = true,
        };
        using var csv = CsvReader.Create(utf8, options);
        IReadOnlyList<string> headers;
        try
        {
            headers = csv.Headers;
        }
        catch (CsvFormatException)
        {
            return PupilImportData.Failed("The first line of the file is not a row of column names.");
        }
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace)) return PupilImportData.Failed("The file is empty.");

        var columns = new Dictionary<ImportField, int>();
        var seen = new Dictionary<string, string>();
        var problems = new List<string>();
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            if (header.Length == 0) continue;
            if (seen.ContainsKey(ImportColumns.Key(header)))
            {
                problems.Add($"The column '{header}' appears twice.");
                continue;
            }
            seen[ImportColumns.Key(header)] = header;
            if (ImportColumns.Find(header) is not { } field) continue; // other columns are ignored
            if (columns.TryGetValue(field, out var other))
            {
                problems.Add($"The columns '{headers[other].Trim()}' and '{header}' both give {ImportColumns.Describe(field)}; keep one of them.");
                continue;
            }
            columns[field] = i;
        }
        if (!columns.ContainsKey(ImportField.MisId) && !columns.ContainsKey(ImportField.LegalLastName))
        {
            return PupilImportData.Failed(
                "The first line does not name the columns (for example UPN, Legal Surname, Legal Forename, DOB, Year). " +
                "Export from the MIS with column headers, as CSV.");
        }
        if (problems.Count > 0) return PupilImportData.Failed(string.Join(" ", problems));

        var rows = new List<PupilImportRow>();
        var rejected = new List<RejectedRow>();
        string? Get(ImportField f) => columns.TryGetValue(f, out var i) && i < csv.FieldCount ? csv.GetString(i) : null;
        try
        {
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                if (csv.FieldCount != headers.Count)
                {
                    rejected.Add(new RejectedRow(line, $"The row has {csv.FieldCount} fields but the header has {headers.Count}; check for a stray comma or quote."));
                    continue;
                }
                rows.Add(new PupilImportRow
                {
                    Line = line,
                    MisId = Get(ImportField.MisId),
                    LegalFirstName = Get(ImportField.LegalFirstName),
                    LegalLastName = Get(ImportField.LegalLastName),
                    PreferredFirstName = Get(ImportField.PreferredFirstName),
                    PreferredLastName = Get(ImportField.PreferredLastName),
                    DateOfBirth = Get(ImportField.DateOfBirth),
                    YearGroup = Get(ImportField.YearGroup),
                    RegistrationGroup = Get(ImportField.RegistrationGroup),
                    StartedOn = Get(ImportField.StartedOn),
                    SchoolEmail = Get(ImportField.SchoolEmail),
                    ContactTitle = Get(ImportField.ContactTitle),
                    ContactFirstName = Get(ImportField.ContactFirstName),
                    ContactLastName = Get(ImportField.ContactLastName),
                    ContactEmail = Get(ImportField.ContactEmail),
                    ContactPhone = Get(ImportField.ContactPhone),
                    ContactLanguage = Get(ImportField.ContactLanguage),
                    Relationship = Get(ImportField.Relationship),
                    ParentalResponsibility = Get(ImportField.ParentalResponsibility),
                    NoContactOrder = Get(ImportField.NoContactOrder),
                    Priority = Get(ImportField.Priority),
                });
            }
        }
        catch (CsvFormatException)
        {
            return PupilImportData.Failed("The file is not valid CSV (a quote is never closed). Export it from the MIS again as CSV.");
        }

        if (rows.Count == 0 && rejected.Count == 0) return PupilImportData.Failed("The file has a header but no pupils.");
        var data = rows.Count == 0
            ? new PupilImportData([], [], columns.Keys.ToHashSet())
            : PupilImportData.Validate(rows, columns.Keys.ToHashSet(), today,
                misIdIsUpn: columns.TryGetValue(ImportField.MisId, out var idColumn) && ImportColumns.Key(headers[idColumn]) == ImportColumns.Key("UPN"));
        if (data.Problem is not null || rejected.Count == 0) return data;
        var all = data.Rejected.Concat(rejected).OrderBy(r => r.Line).ToList();
        return data with { Rejected = all };
    }

    /// <summary>The file as UTF-8 (without a byte order mark), or why it cannot be read as text.</summary>
    private static (byte[] Utf8, string? Problem) ToUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("PK\u0003\u0004"u8))
            return ([], "This is an Excel workbook or other zip file, not CSV. In Excel use File › Save As › CSV UTF-8, then upload the .csv file.");
        if (bytes.StartsWith("%PDF"u8)) return ([], "This is a PDF, not CSV. Export the pupils from the MIS as CSV.");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
            return ([], "This is an old Excel (.xls) workbook, not CSV. In Excel use File › Save As › CSV UTF-8, then upload the .csv file.");

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (Encoding.UTF8.GetBytes(Encoding.Unicode.GetString(bytes[2..])), null);
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (Encoding.UTF8.GetBytes(Encoding.BigEndianUnicode.GetString(bytes[2..])), null);

        if (bytes.Contains((byte)0)) return ([], "This file is not text (it contains binary data). Export the pupils from the MIS as CSV.");
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return (bytes.ToArray(), null);
        // Not UTF-8: Windows-1252, which is what a UK Windows PC writes for "CSV (Comma delimited)".
        var text = Encoding.GetEncoding(1252).GetString(bytes);
        return (Encoding.UTF8.GetBytes(text), null);
    }
}
