using ConsentHub.Access;

namespace ConsentHub.Checks;

/// <summary>
/// Rule 1's trust setting, "every parent with parental responsibility must agree" (policy §6.2): what it is now, and
/// how many pupils' decisions a change would alter, counted with the rule engine over every pupil on roll, before
/// anyone saves it.
/// </summary>
public sealed class PreviewEveryParentSetting(ConsentStatusReader reader, ConsentReferenceCache reference)
{
    public sealed record Preview(bool Current, bool Proposed, ConsentStatusReader.SettingsImpact Impact);

    /// <param name="proposed">The value to preview; null for the current one (nothing to count).</param>
    public async Task<Preview> HandleAsync(AccessScope scope, bool? proposed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var settings = (await reference.GetAsync(ct)).Settings;
        var value = proposed ?? settings.RequireEveryParentalResponsibilityHolder;
        var impact = settings.RequireEveryParentalResponsibilityHolder == value
            ? new ConsentStatusReader.SettingsImpact(0, 0, 0, 0)
            : await reader.CompareSettingsAsync(scope, settings with { RequireEveryParentalResponsibilityHolder = value }, ct);
        return new Preview(settings.RequireEveryParentalResponsibilityHolder, value, impact);
    }
}
