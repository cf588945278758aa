using System.Text.RegularExpressions;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.Purposes;

/// <summary>
/// Adds a purpose (channel of use) or changes one: name, plain description, lawful basis, how long a grant lasts,
/// whether it publishes on trust-affiliated accounts (so a posting pause stops it), and whether it is in use.
/// The key is fixed once created: answers, templates and API callers refer to it.
/// </summary>
public sealed partial class SavePurpose(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Request(Guid? Id, string Key, string Name, string Description, LawfulBasis LawfulBasis, ValidityKind ValidityKind,
        int ValidityMonths, bool PublishesOnTrustAccounts, bool Active, int SortOrder);

    public abstract record Result
    {
        public sealed record Saved(Guid Id) : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,59}$")]
    private static partial Regex KeyPattern();

    public async Task<Result> HandleAsync(Request request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        var description = request.Description?.Trim() ?? "";
        if (name.Length is 0 or > 120) errors["name"] = ["Give the purpose a name of up to 120 characters."];
        if (description.Length is 0 or > 1000) errors["description"] = ["Describe in plain words what the photos are used for (up to 1,000 characters)."];
        if (!Enum.IsDefined(request.LawfulBasis)) errors["lawfulBasis"] = ["Choose the lawful basis."];
        if (!Enum.IsDefined(request.ValidityKind)) errors["validityKind"] = ["Choose how long a grant lasts."];
        if (request.ValidityKind == ValidityKind.Months && request.ValidityMonths is < 1 or > 120)
            errors["validityMonths"] = ["A grant that lasts a number of months needs 1 to 120 months."];

        await using var db = await factory.CreateDbContextAsync(ct);
        Purpose? purpose = null;
        if (request.Id is { } id)
        {
            purpose = await db.Purposes.FirstOrDefaultAsync(p => p.Id == id, ct);
            if (purpose is null) return new Result.NotFound();
        }
        else
        {
            var key = request.Key?.Trim() ?? "";
            if (!KeyPattern().IsMatch(key)) errors["key"] = ["The key is lower-case letters, digits and hyphens, e.g. academy-website."];
            else if (await db.Purposes.AnyAsync(p => p.Key == key, ct)) errors["key"] = [$"There is already a purpose with the key '{key}'."];
        }
        if (errors.Count > 0) return new Result.Invalid(errors);

        var isNew = purpose is null;
        purpose ??= new Purpose { Id = Guid.NewGuid(), Key = request.Key!.Trim(), Name = name, Description = description };
        purpose.Name = name;
        purpose.Description = description;
        purpose.LawfulBasis = request.LawfulBasis;
        purpose.ValidityKind = request.ValidityKind;
        purpose.ValidityMonths = request.ValidityKind == ValidityKind.Months ? request.ValidityMonths : 0;
        purpose.PublishesOnTrustAccounts = request.PublishesOnTrustAccounts;
        purpose.Active = request.Active;
        purpose.SortOrder = request.SortOrder;
        if (isNew) db.Purposes.Add(purpose);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, actor, isNew ? "purpose.added" : "purpose.changed", "Purpose", purpose.Id.ToString(),
            Data: new Dictionary<string, object?>
            {
                ["key"] = purpose.Key,
                ["lawfulBasis"] = purpose.LawfulBasis.ToString(),
                ["validity"] = purpose.ValidityKind.ToString(),
                ["months"] = purpose.ValidityMonths,
                ["publishes"] = purpose.PublishesOnTrustAccounts,
                ["active"] = purpose.Active,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved(purpose.Id);
    }
}
