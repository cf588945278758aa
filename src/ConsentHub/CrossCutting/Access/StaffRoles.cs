namespace ConsentHub.Access;

/// <summary>
/// The staff roles (policy §8.1.2). Academy roles see one academy; RegionalDirector one region; TrustAdmin and
/// CommunicationsDirector the whole trust. Teachers check consent only and never see contact details or
/// safeguarding reasons; only the DSL sees safeguarding reasons.
/// </summary>
public static class StaffRoles
{
    public const string TrustAdmin = "TrustAdmin";
    public const string CommunicationsDirector = "CommunicationsDirector";
    public const string RegionalDirector = "RegionalDirector";
    public const string Headteacher = "Headteacher";
    public const string OfficeStaff = "OfficeStaff";
    public const string Teacher = "Teacher";
    public const string Dsl = "DSL";

    public static readonly IReadOnlyList<string> All =
        [TrustAdmin, CommunicationsDirector, RegionalDirector, Headteacher, OfficeStaff, Teacher, Dsl];

    /// <summary>The level of scope a role works at.</summary>
    public static ScopeLevel LevelOf(string role) => role switch
    {
        TrustAdmin or CommunicationsDirector => ScopeLevel.Trust,
        RegionalDirector => ScopeLevel.Region,
        Headteacher or OfficeStaff or Teacher or Dsl => ScopeLevel.Academy,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a staff role."),
    };
}
