using System.Text.RegularExpressions;
using ConsentHub.Audit;
using ConsentHub.Data;
using Microsoft.EntityFrameworkCore;

namespace ConsentHub.Consent.FormVersions;

/// <summary>
/// Sets the wording a draft form version shows for one purpose, audience and language; empty text removes it.
/// A published version is refused with a message saying to start a new version.
/// </summary>
public sealed partial class SaveFormWording(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public const int MaxTextLength = 8000;

    public sealed record Request(Guid FormVersionId, Guid PurposeId, Audience Audience, string Language, string? Text);

    public abstract record Result
    {
        public sealed record Saved : Result;
        public sealed record NotFound : Result;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Result;
    }

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
    private static partial Regex LanguageTag();

    public async Task<Result> HandleAsync(Request request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = await db.FormVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == request.FormVersionId, ct);
        if (version is null) return new Result.NotFound();
        var errors = new Dictionary<string, string[]>();
        if (version.PublishedAt is not null)
            errors["formVersion"] = [$"Version {version.Label} is published, so its wording can no longer change. Start a new version to change it."];
        if (!await db.Purposes.AnyAsync(p => p.Id == request.PurposeId, ct)) errors["purpose"] = ["Choose a purpose."];
        if (!Enum.IsDefined(request.Audience)) errors["audience"] = ["Choose parents or pupils."];
        var language = request.Language?.Trim() ?? "";
        if (!LanguageTag().IsMatch(language)) errors["language"] = ["Give the language as a code such as en, pl or pt-BR."];
        var text = request.Text?.Trim();
        if (text is { Length: > MaxTextLength }) errors["text"] = [$"The wording is longer than {MaxTextLength:N0} characters."];
        if (errors.Count > 0) return new Result.Invalid(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var wording = await db.FormWordings.FirstOrDefaultAsync(w => w.FormVersionId == version.Id && w.PurposeId == request.PurposeId
            && w.Audience == request.Audience && w.Language == language, ct);
        if (string.IsNullOrEmpty(text))
        {
            if (wording is not null) db.FormWordings.Remove(wording);
        }
        else if (wording is null)
        {
            db.FormWordings.Add(new FormWording { Id = Guid.NewGuid(), FormVersionId = version.Id, PurposeId = request.PurposeId, Audience = request.Audience, Language = language, Text = text });
        }
        else
        {
            wording.Text = text;
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, actor, string.IsNullOrEmpty(text) ? "form-wording.removed" : "form-wording.saved", "FormVersion",
            version.Id.ToString(), Data: new Dictionary<string, object?>
            {
                ["label"] = version.Label,
                ["purposeId"] = request.PurposeId,
                ["audience"] = request.Audience.ToString(),
                ["language"] = language,
            }), ct);
        await tx.CommitAsync(ct);
        return new Result.Saved();
    }
}
