namespace ConsentHub.Migrations.Sql;

/// <summary>
/// Who may answer for a pupil, stated once for every query that needs it (opening a link, the lost-link email,
/// the chase): the pupil has not left, and the party is either the pupil from Year 7 or a contact linked with
/// parental responsibility and no no-contact order. <c>ConsentRules.MayAnswer</c> states the same rule in C#;
/// <c>WhoMayAnswerParityTests</c> runs both over one table of cases. A plain SQL expression, so the planner
/// inlines it into the calling query.
/// </summary>
internal static class WhoMayAnswerSql
{
    public const string Up = """
        CREATE OR REPLACE FUNCTION consenthub.may_answer(party_kind text, year_group integer, left_on date,
            has_parental_responsibility boolean, no_contact_order boolean, today date)
        RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT (left_on IS NULL OR left_on > today)
               AND CASE WHEN party_kind = 'Pupil' THEN year_group >= 7
                        ELSE coalesce(has_parental_responsibility AND NOT no_contact_order, false) END
        $$;
        """;

    public const string Down = """
        DROP FUNCTION IF EXISTS consenthub.may_answer(text, integer, date, boolean, boolean, date);
        """;
}
