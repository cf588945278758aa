namespace ConsentHub.Pupils;

/// <summary>
/// The names a pupil goes by, for SQL over rows that hold the four name columns but not the generated ones (an
/// import's staging rows). The same meaning as the generated columns <c>display_first_name</c>,
/// <c>display_last_name</c> and <c>display_name</c> of <c>consenthub.pupils</c> and as <see cref="Pupil.NameUsed"/>:
/// a missing or blank preferred name means the legal one. Queries on <c>consenthub.pupils</c> read the generated
/// columns instead; <c>PupilNamesTests</c> checks the three agree.
/// </summary>
public static class PupilNameSql
{
    /// <summary>The first name used, of the row with alias <paramref name="row"/>.</summary>
    public static string FirstName(string row) => NameUsed(row, "first");

    /// <summary>The last name used, of the row with alias <paramref name="row"/>.</summary>
    public static string LastName(string row) => NameUsed(row, "last");

    /// <summary>"First Last", of the row with alias <paramref name="row"/>.</summary>
    public static string DisplayName(string row) => $"{FirstName(row)} || ' ' || {LastName(row)}";

    private static string NameUsed(string row, string part) =>
        $"CASE WHEN {row}.preferred_{part}_name IS NULL OR {row}.preferred_{part}_name ~ '^[[:space:]]*$' " +
        $"THEN {row}.legal_{part}_name ELSE {row}.preferred_{part}_name END";
}
