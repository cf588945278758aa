namespace ConsentHub.Migrations.Sql;

/// <summary>
/// The names a pupil goes by, kept by PostgreSQL itself (stored generated columns, like <c>search_text</c>), so every
/// query reads them instead of spelling the rule again. One meaning for a preferred name that is missing or blank:
/// the legal name is used (the same as <c>Pupil.FirstName</c>, <c>LastName</c> and <c>DisplayName</c> in C#;
/// <c>PupilNamesTests</c> checks the two agree).
/// </summary>
internal static class PupilNamesSql
{
    public const string Up = """
        ALTER TABLE consenthub.pupils
            ADD COLUMN display_first_name text GENERATED ALWAYS AS (
                CASE WHEN preferred_first_name IS NULL OR preferred_first_name ~ '^[[:space:]]*$' THEN legal_first_name ELSE preferred_first_name END
            ) STORED,
            ADD COLUMN display_last_name text GENERATED ALWAYS AS (
                CASE WHEN preferred_last_name IS NULL OR preferred_last_name ~ '^[[:space:]]*$' THEN legal_last_name ELSE preferred_last_name END
            ) STORED,
            ADD COLUMN display_name text GENERATED ALWAYS AS (
                CASE WHEN preferred_first_name IS NULL OR preferred_first_name ~ '^[[:space:]]*$' THEN legal_first_name ELSE preferred_first_name END
                || ' ' ||
                CASE WHEN preferred_last_name IS NULL OR preferred_last_name ~ '^[[:space:]]*$' THEN legal_last_name ELSE preferred_last_name END
            ) STORED;
        """;

    public const string Down = """
        ALTER TABLE consenthub.pupils DROP COLUMN IF EXISTS display_name, DROP COLUMN IF EXISTS display_last_name,
            DROP COLUMN IF EXISTS display_first_name;
        """;
}
