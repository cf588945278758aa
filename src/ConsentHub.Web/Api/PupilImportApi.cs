using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConsentHub.Pupils;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ConsentHub.Web.Api;

/// <summary>
/// POST /api/v1/academies/{academyId}/pupil-imports: the MIS import through the API, as JSON (pupils with nested
/// contacts) or as the CSV file itself (Content-Type: text/csv). A dry run unless dryRun=false.
/// </summary>
public static class PupilImportApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new Security.StrictStringConverter() },
    };

    public static IEndpointRouteBuilder MapPupilImportApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").RequireAuthorization(ConsentApi.Policy).WithTags("Pupils")
            .MapPost("/academies/{academyId:guid}/pupil-imports", PostImport)
            .WithName("ImportPupils")
            .WithSummary("Import an academy's pupils and contacts from the MIS: JSON or text/csv. Reports adds, changes, leavers and rejected rows; writes only with dryRun=false.")
            .Accepts<PupilImportBody>("application/json", "text/csv");
        return app;
    }

    private static async Task<Results<Ok<PupilImportReportDto>, ProblemHttpResult, ValidationProblem>> PostImport(
        Guid academyId, bool? dryRun, bool? full, int? confirmLeavers, HttpContext http, ImportPupils import, TimeProvider clock, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // The default body limit (30 MB) is below the 50 MB a file may be; the reader stops at 50 MB itself.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = ReadPupilImportFile.MaxBytes + 1;
        var isCsv = http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        var isFull = full ?? false;
        PupilImportData data;
        if (isCsv)
        {
            data = await ReadPupilImportFile.ReadAsync(http.Request.Body, null, today, ct);
        }
        else if (http.Request.HasJsonContentType())
        {
            PupilImportBody? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<PupilImportBody>(http.Request.Body, Json, ct);
            }
            catch (JsonException e)
            {
                return TypedResults.ValidationProblem(Field(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.'),
                    e.Message.StartsWith(Security.StrictStringConverter.NulMessage, StringComparison.Ordinal)
                        ? $"{e.Path ?? "A value"} contains a NUL character, which cannot be stored: remove it and send the import again."
                        : "This is not the JSON the import expects: " + (e.Path ?? "the body") + " could not be read."));
            }
            if (body?.Pupils is null) return TypedResults.ValidationProblem(Field("pupils", "Send the pupils as a JSON array 'pupils'."));
            isFull = full ?? body.Full ?? false;
            data = body.ToData(today);
        }
        else
        {
            return TypedResults.ValidationProblem(Field("body", "Send the pupils as JSON (application/json) or the MIS export as text/csv."));
        }

        var scope = ApiKeyAuthenticationHandler.ScopeOf(http.User);
        var isDryRun = dryRun ?? true;
        var result = await import.HandleAsync(scope, new ImportPupils.Request(academyId, data, isFull, isDryRun, isCsv ? "api-csv" : "api", confirmLeavers), ct);
        http.RequestServices.GetRequiredService<ConsentHub.Rollover.RequestRollover>().AfterImport(result, academyId, scope.Actor);
        switch (result)
        {
            case ImportPupils.Result.NotFound:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such academy",
                    detail: $"There is no academy {academyId} that this key may see.");
            case ImportPupils.Result.Invalid invalid:
                return TypedResults.ValidationProblem(Field(isCsv ? "file" : "pupils", invalid.Problem));
            case ImportPupils.Result.Report report when !isDryRun && report.Rejected.Count > 0:
                // Nothing was written: every rejected row, keyed by where it is.
                return TypedResults.ValidationProblem(
                    report.Rejected.GroupBy(r => RowKey(r.Line, isCsv)).ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray()),
                    title: "Nothing was imported: some rows cannot be.");
            case ImportPupils.Result.Report { Committed: false, LeaversNeedConfirmation: true } report when !isDryRun:
                return TypedResults.ValidationProblem(Field("confirmLeavers",
                    $"This full import would mark {report.Leavers.Count} of the {report.OnRoll} pupils on roll as left. If that is right, send confirmLeavers={report.Leavers.Count}; nothing was written."),
                    title: "Nothing was imported: confirm the leavers.");
            case ImportPupils.Result.Report report:
                return TypedResults.Ok(PupilImportReportDto.From(report, isDryRun, isFull, isCsv));
            default:
                throw new InvalidOperationException("Unexpected result.");
        }
    }

    internal static string RowKey(int line, bool isCsv) =>
        isCsv ? string.Create(CultureInfo.InvariantCulture, $"line {line}") : string.Create(CultureInfo.InvariantCulture, $"pupils[{line - 1}]");

    private static Dictionary<string, string[]> Field(string name, string message) => new() { [name] = [message] };
}

/// <summary>The JSON body: pupils with their contacts. Dates as yyyy-mm-dd (or dd/mm/yyyy); year groups as N1, N2, R, 1–13.</summary>
public sealed record PupilImportBody(bool? Full, List<PupilImportPupil>? Pupils)
{
    internal PupilImportData ToData(DateOnly today)
    {
        var pupils = Pupils!;
        var columns = new HashSet<ImportField>(PupilImportData.RequiredPupilColumns);
        void Has(bool any, ImportField field)
        {
            if (any) columns.Add(field);
        }
        Has(pupils.Any(p => p?.PreferredFirstName is not null), ImportField.PreferredFirstName);
        Has(pupils.Any(p => p?.PreferredLastName is not null), ImportField.PreferredLastName);
        Has(pupils.Any(p => p?.RegistrationGroup is not null), ImportField.RegistrationGroup);
        Has(pupils.Any(p => p?.StartedOn is not null), ImportField.StartedOn);
        Has(pupils.Any(p => p?.SchoolEmail is not null), ImportField.SchoolEmail);
        // Without a "contacts" array on any pupil the contacts are left as they are; with one, they are replaced.
        var contacts = pupils.Where(p => p?.Contacts is not null).SelectMany(p => p!.Contacts!).Where(c => c is not null).ToList();
        if (pupils.Any(p => p?.Contacts is not null))
        {
            foreach (var f in PupilImportData.RequiredContactColumns) columns.Add(f);
            columns.Add(ImportField.ContactTitle);
            columns.Add(ImportField.ContactEmail);
            columns.Add(ImportField.ContactPhone);
            Has(contacts.Any(c => c.Language is not null), ImportField.ContactLanguage);
            Has(contacts.Any(c => c.NoContactOrder is not null), ImportField.NoContactOrder);
            Has(contacts.Any(c => c.Priority is not null), ImportField.Priority);
        }

        var rows = new List<PupilImportRow>();
        for (var i = 0; i < pupils.Count; i++)
        {
            var p = pupils[i] ?? new PupilImportPupil();
            var row = new PupilImportRow
            {
                Line = i + 1,
                MisId = p.MisId,
                LegalFirstName = p.LegalFirstName,
                LegalLastName = p.LegalLastName,
                PreferredFirstName = p.PreferredFirstName,
                PreferredLastName = p.PreferredLastName,
                DateOfBirth = p.DateOfBirth,
                YearGroup = p.YearGroup is { } y ? (y.ValueKind == JsonValueKind.String ? y.GetString() : y.GetRawText()) : null,
                RegistrationGroup = p.RegistrationGroup,
                StartedOn = p.StartedOn,
                SchoolEmail = p.SchoolEmail,
            };
            if (p.Contacts is not { Count: > 0 })
            {
                rows.Add(row);
                continue;
            }
            foreach (var c in p.Contacts.Where(c => c is not null))
            {
                rows.Add(row with
                {
                    ContactTitle = c.Title,
                    ContactFirstName = c.FirstName,
                    ContactLastName = c.LastName,
                    ContactEmail = c.Email,
                    ContactPhone = c.Phone,
                    ContactLanguage = c.Language,
                    Relationship = c.Relationship,
                    ParentalResponsibility = c.ParentalResponsibility == true ? "yes" : "no",
                    NoContactOrder = c.NoContactOrder switch { true => "yes", false => "no", null => null },
                    Priority = c.Priority?.ToString(CultureInfo.InvariantCulture),
                });
            }
        }
        if (rows.Count == 0) return PupilImportData.Failed("The list of pupils is empty.");
        return PupilImportData.Validate(rows, columns, today);
    }
}

public sealed record PupilImportPupil
{
    public string? MisId { get; init; }
    public string? LegalFirstName { get; init; }
    public string? LegalLastName { get; init; }
    public string? PreferredFirstName { get; init; }
    public string? PreferredLastName { get; init; }
    public string? DateOfBirth { get; init; }

    /// <summary>"N1", "N2", "R", "7", "Y7" or the number 7.</summary>
    public JsonElement? YearGroup { get; init; }
    public string? RegistrationGroup { get; init; }
    public string? StartedOn { get; init; }
    public string? SchoolEmail { get; init; }
    public List<PupilImportContact>? Contacts { get; init; }
}

public sealed record PupilImportContact(
    string? Title,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? Language,
    string? Relationship,
    bool? ParentalResponsibility,
    bool? NoContactOrder,
    int? Priority);

public sealed record PupilImportReportDto(
    bool DryRun,
    bool Full,
    bool Committed,
    int Pupils,
    int ContactRows,
    int AddedCount,
    int ChangedCount,
    int LeaverCount,
    IReadOnlyList<PupilImportChangeDto> Added,
    IReadOnlyList<PupilImportChangeDto> Changed,
    IReadOnlyList<PupilImportChangeDto> Leavers,
    IReadOnlyList<PupilImportRejectedDto> Rejected)
{
    /// <summary>A full import marking more than 5 % of the academy as left: send <c>confirmLeavers</c> = the leaver count to go ahead.</summary>
    public bool LeaversNeedConfirmation { get; init; }

    public int OnRoll { get; init; }

    /// <summary>New pupils with the name and date of birth of a pupil on roll under another id (a mistyped id?).</summary>
    public IReadOnlyList<PupilImportChangeDto> PossibleDuplicates { get; init; } = [];

    /// <summary>Open requests to contacts this import bars (no-contact order, no parental responsibility, unlinked): cancelled on commit.</summary>
    public int RequestsCancelled { get; init; }

    internal static PupilImportReportDto From(ImportPupils.Result.Report r, bool dryRun, bool full, bool isCsv) => new(
        dryRun, full, r.Committed, r.PupilsInFile, r.ContactRowsInFile, r.Added.Count, r.Changed.Count, r.Leavers.Count,
        [.. r.Added.Select(PupilImportChangeDto.From)], [.. r.Changed.Select(PupilImportChangeDto.From)], [.. r.Leavers.Select(PupilImportChangeDto.From)],
        [.. r.Rejected.Select(x => new PupilImportRejectedDto(PupilImportApi.RowKey(x.Line, isCsv), x.Line, x.Reason))])
    {
        LeaversNeedConfirmation = r.LeaversNeedConfirmation,
        OnRoll = r.OnRoll,
        PossibleDuplicates = [.. r.PossibleDuplicates.Select(PupilImportChangeDto.From)],
        RequestsCancelled = r.RequestsCancelled,
    };
}

public sealed record PupilImportChangeDto(string MisId, string Name, IReadOnlyList<string> What)
{
    internal static PupilImportChangeDto From(ImportPupils.PupilChange c) => new(c.MisId, c.Name, c.What);
}

public sealed record PupilImportRejectedDto(string Where, int Line, string Reason);
