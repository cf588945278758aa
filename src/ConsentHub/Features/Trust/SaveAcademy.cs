using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Trust;

/// <summary>
/// Adds a region, or adds or changes an academy (its code such as the DfE URN, name, phase, the year groups it
/// teaches, its region and the office's telephone and email that families see on the signing pages). Validates
/// everything first and saves nothing on bad input, naming the field.
/// </summary>
public sealed class SaveAcademy(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Request(Guid? Id, string Code, string Name, AcademyPhase Phase, int LowestYear, int HighestYear, Guid RegionId,
        string? OfficePhone = null, string? OfficeEmail = null);

    public const int MaxPhoneLength = 40;
    public const int MaxEmailLength = 254;

    public abstract record Result
    {
        public sealed record Saved(Guid Id) : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> AddRegionAsync(string name, string actor, CancellationToken ct = default)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200) return new Result.Invalid(new Dictionary<string, string[]> { ["name"] = ["Give the region a name of up to 200 characters."] });
        await using var db = await factory.CreateDbContextAsync(ct);
        var trust = await db.Trusts.AsNoTracking().FirstOrDefaultAsync(ct) ?? throw new InvalidOperationException("The trust has not been set up.");
        if (await db.Regions.AnyAsync(r => r.Name == trimmed, ct))
            return new Result.Invalid(new Dictionary<string, string[]> { ["name"] = [$"There is already a region called {trimmed}."] });
        var region = new Region { Id = Guid.NewGuid(), TrustId = trust.Id, Name = trimmed };
        db.Regions.Add(region);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, actor, "region.added", "Region", region.Id.ToString(), Data: new Dictionary<string, object?> { ["name"] = trimmed }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved(region.Id);
    }

    public async Task<Result> HandleAsync(Request request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var code = request.Code?.Trim() ?? "";
        var name = request.Name?.Trim() ?? "";
        if (code.Length is 0 or > 20) errors["code"] = ["Give the academy's code, such as its DfE URN (up to 20 characters)."];
        if (name.Length is 0 or > 200) errors["name"] = ["Give the academy's name (up to 200 characters)."];
        var phone = Blank(request.OfficePhone);
        var email = Blank(request.OfficeEmail);
        if (phone is not null && (phone.Length > MaxPhoneLength || phone.Count(char.IsAsciiDigit) < 6 || !phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '(' or ')' or '-')))
            errors["officePhone"] = ["Give the office's telephone number in digits (spaces, +, brackets and dashes allowed), or leave it empty."];
        if (email is not null && (email.Length > MaxEmailLength || email.Count(c => c == '@') != 1 || email.Any(char.IsWhiteSpace) || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || parsed.DisplayName.Length > 0))
            errors["officeEmail"] = ["Give the office's email address, such as office@school.example.org, or leave it empty."];
        if (!Enum.IsDefined(request.Phase)) errors["phase"] = ["Choose the phase."];
        if (request.LowestYear < YearGroup.Nursery1.Value || request.HighestYear > 13 || request.LowestYear > request.HighestYear)
            errors["years"] = ["The year groups taught run from N1, N2 or R up to Year 13, lowest first."];

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Regions.AnyAsync(r => r.Id == request.RegionId, ct)) errors["regionId"] = ["Choose the academy's region."];
        Academy? academy = null;
        if (request.Id is { } id)
        {
            academy = await db.Academies.FirstOrDefaultAsync(a => a.Id == id, ct);
            if (academy is null) return new Result.NotFound();
        }
        if (code.Length > 0 && await db.Academies.AnyAsync(a => a.Code == code && a.Id != request.Id, ct))
            errors["code"] = [$"Another academy already has the code {code}."];
        if (errors.Count > 0) return new Result.Invalid(errors);

        var isNew = academy is null;
        academy ??= new Academy { Id = Guid.NewGuid(), Code = code, Name = name };
        academy.Code = code;
        academy.Name = name;
        academy.Phase = request.Phase;
        academy.LowestYear = request.LowestYear;
        academy.HighestYear = request.HighestYear;
        academy.RegionId = request.RegionId;
        academy.OfficePhone = phone;
        academy.OfficeEmail = email;
        if (isNew) db.Academies.Add(academy);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(academy.Id, actor, isNew ? "academy.added" : "academy.changed", "Academy", academy.Id.ToString(),
            Data: new Dictionary<string, object?>
            {
                ["code"] = code,
                ["name"] = name,
                ["phase"] = request.Phase.ToString(),
                ["regionId"] = request.RegionId,
                ["officePhone"] = phone,
                ["officeEmail"] = email
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved(academy.Id);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
