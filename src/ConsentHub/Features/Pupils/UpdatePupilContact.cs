using System.Net.Mail;
using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Pupils;

/// <summary>
/// Office staff correct a contact's link to a pupil (relationship, parental responsibility, a no-contact order)
/// and their email and phone. Who must consent is re-evaluated at once; the change is audited.
/// </summary>
public sealed class UpdatePupilContact(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public sealed record Request(Guid PupilId, Guid ContactId, string Relationship, bool HasParentalResponsibility, bool NoContactOrder,
        string? Email, string? Phone);

    public abstract record Result
    {
        public sealed record Saved : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    public async Task<Result> HandleAsync(AccessScope scope, Request request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var relationship = request.Relationship?.Trim() ?? "";
        if (relationship.Length is 0 or > 60) errors["relationship"] = ["Give the relationship to the pupil (up to 60 characters), e.g. Mother, Carer."];
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null && (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
            errors["email"] = [$"'{email}' is not an email address."];
        var phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim();
        if (phone is { Length: > 40 }) errors["phone"] = ["The phone number is longer than 40 characters."];
        if (errors.Count > 0) return new Result.Invalid(errors);

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pupil = await db.Pupils.AsNoTracking().Where(p => p.Id == request.PupilId).Where(ScopeFilter.Pupils(db, scope))
            .Select(p => new { p.Id, p.AcademyId }).FirstOrDefaultAsync(ct);
        if (pupil is null) return new Result.NotFound();
        var link = await db.PupilContacts.Include(l => l.Contact).FirstOrDefaultAsync(l => l.PupilId == pupil.Id && l.ContactId == request.ContactId, ct);
        if (link is null) return new Result.NotFound();

        var before = new { link.Relationship, link.HasParentalResponsibility, link.NoContactOrder, link.Contact!.Email, link.Contact.Phone };
        link.Relationship = relationship;
        link.HasParentalResponsibility = request.HasParentalResponsibility;
        link.NoContactOrder = request.NoContactOrder;
        // Contacts are shared by siblings: the address changes for every pupil they are linked to.
        if (!string.Equals(link.Contact!.Email?.Trim(), email, StringComparison.OrdinalIgnoreCase))
        {
            // A new address has not failed yet: reminders go to it again and the office stops treating it as bad.
            link.Contact.EmailFailingSince = null;
            link.Contact.EmailFailingReason = null;
        }
        link.Contact.Email = email;
        link.Contact.Phone = phone;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(pupil.AcademyId, scope.Actor, "pupil-contact.updated", "Contact", request.ContactId.ToString(), pupil.Id,
            new Dictionary<string, object?>
            {
                ["relationship"] = relationship,
                ["parentalResponsibility"] = request.HasParentalResponsibility,
                ["noContactOrder"] = request.NoContactOrder,
                ["parentalResponsibilityBefore"] = before.HasParentalResponsibility,
                ["noContactOrderBefore"] = before.NoContactOrder,
                // Whether the address or number changed, not the values: the audit log is read more widely than contacts.
                ["contactDetailsChanged"] = before.Email != email || before.Phone != phone,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved();
    }
}
