using ConsentHub.Consent;

namespace ConsentHub.Signing;

/// <summary>What the form posted: per purpose key "yes" or "no", the parental-responsibility tick, the typed name.</summary>
public sealed record SigningAnswers(IReadOnlyDictionary<string, string?> Choices, bool HasParentalResponsibility, string? SignatureName)
{
    public const int MaxNameLength = 200;

    /// <summary>The form field of a purpose's yes/no choice (also the id the error summary links to).</summary>
    public static string FieldFor(string purposeKey) => "answer-" + purposeKey;

    public const string ResponsibilityField = "responsibility";
    public const string NameField = "signature-name";
}

public enum SigningErrorKind
{
    ChooseYesOrNo = 0,
    ConfirmResponsibility = 1,
    TypeFullName = 2,
    NameTooLong = 3,
}

/// <param name="Field">The id of the input at fault, for the error summary's link.</param>
/// <param name="PurposeName">For <see cref="SigningErrorKind.ChooseYesOrNo"/>: which purpose.</param>
public sealed record SigningError(string Field, SigningErrorKind Kind, string? PurposeName = null);

public static class SigningValidation
{
    /// <summary>Every purpose answered, the tick for a parent, a full name; the choices by purpose when valid.</summary>
    public static (IReadOnlyList<SigningError> Errors, Dictionary<Guid, bool> Yes, string Name) Validate(SigningForm form, SigningAnswers answers)
    {
        var errors = new List<SigningError>();
        var yes = new Dictionary<Guid, bool>();
        foreach (var p in form.Purposes)
        {
            answers.Choices.TryGetValue(SigningAnswers.FieldFor(p.Key), out var value);
            switch (value?.Trim().ToLowerInvariant())
            {
                case "yes": yes[p.PurposeId] = true; break;
                case "no": yes[p.PurposeId] = false; break;
                default: errors.Add(new SigningError(SigningAnswers.FieldFor(p.Key), SigningErrorKind.ChooseYesOrNo, p.Name)); break;
            }
        }
        if (form.Target.PartyKind == PartyKind.Contact && !answers.HasParentalResponsibility)
            errors.Add(new SigningError(SigningAnswers.ResponsibilityField, SigningErrorKind.ConfirmResponsibility));
        var name = string.Join(' ', (answers.SignatureName ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (name.Length < 2 || !name.Any(char.IsLetter))
            errors.Add(new SigningError(SigningAnswers.NameField, SigningErrorKind.TypeFullName));
        else if (name.Length > SigningAnswers.MaxNameLength)
            errors.Add(new SigningError(SigningAnswers.NameField, SigningErrorKind.NameTooLong));
        return (errors, yes, name);
    }
}
