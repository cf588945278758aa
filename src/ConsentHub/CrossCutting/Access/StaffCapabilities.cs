namespace ConsentHub.Access;

/// <summary>
/// What each role may do (policy §8.1.2). Pages and endpoints require a capability (an authorization policy of the
/// same name); queries then run in the scope of the assignments that grant it.
/// </summary>
public static class StaffCapabilities
{
    /// <summary>Whether a pupil may be featured, and where. Every role.</summary>
    public const string CheckConsent = "CheckConsent";

    /// <summary>Pupil records, contacts, issuing forms, paper returns.</summary>
    public const string ManagePupils = "ManagePupils";

    /// <summary>Parents' and carers' contact details. Never teachers.</summary>
    public const string ViewContactDetails = "ViewContactDetails";

    /// <summary>Safeguarding flags and their reasons: the DSL only.</summary>
    public const string Safeguarding = "Safeguarding";

    /// <summary>Posting pauses (§4.7): headteachers for their academy, regional directors for their region, trust roles anywhere.</summary>
    public const string PostingPauses = "PostingPauses";
    public const string AccountsRegister = "AccountsRegister";
    /// <summary>Takedown tasks of the academies in scope (the register's administrative contacts also see their accounts' tasks).</summary>
    public const string TakedownTasks = "TakedownTasks";

    /// <summary>The retention purge's reports (counts per academy); trust admins also run the dry run.</summary>
    public const string Retention = "Retention";

    /// <summary>Staff accounts and invitations; the background jobs dashboard.</summary>
    public const string ManageStaff = "ManageStaff";

    /// <summary>API keys: a trust administrator's for every academy and the trust, a headteacher's for their academy.</summary>
    public const string ManageApiKeys = "ManageApiKeys";

    /// <summary>Read-only figures across the caller's whole scope (academy, region or trust).</summary>
    public const string ViewReports = "ViewReports";

    /// <summary>Trust set-up: the consent form's wording and its versions.</summary>
    public const string TrustSetup = "TrustSetup";

    private static readonly Dictionary<string, string[]> Grants = new(StringComparer.Ordinal)
    {
        [CheckConsent] = [.. StaffRoles.All],
        [ManagePupils] = [StaffRoles.OfficeStaff, StaffRoles.TrustAdmin],
        [ViewContactDetails] = [StaffRoles.OfficeStaff, StaffRoles.Headteacher, StaffRoles.Dsl],
        [Safeguarding] = [StaffRoles.Dsl],
        [PostingPauses] = [StaffRoles.Headteacher, StaffRoles.RegionalDirector, StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin],
        [AccountsRegister] = [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin],
        [TakedownTasks] = [StaffRoles.CommunicationsDirector, StaffRoles.TrustAdmin, StaffRoles.Headteacher],
        [Retention] = [StaffRoles.TrustAdmin, StaffRoles.Dsl],
        [ManageStaff] = [StaffRoles.TrustAdmin],
        [ManageApiKeys] = [StaffRoles.TrustAdmin, StaffRoles.Headteacher],
        [ViewReports] = [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector, StaffRoles.RegionalDirector, StaffRoles.Headteacher, StaffRoles.OfficeStaff],
        [TrustSetup] = [StaffRoles.TrustAdmin, StaffRoles.CommunicationsDirector],
    };

    public static IReadOnlyCollection<string> All => Grants.Keys;

    public static IReadOnlyList<string> RolesFor(string capability) =>
        Grants.TryGetValue(capability, out var roles) ? roles : throw new ArgumentOutOfRangeException(nameof(capability), capability, "Not a capability.");

    public static bool IsGranted(string role, string capability) => RolesFor(capability).Contains(role, StringComparer.Ordinal);
}
