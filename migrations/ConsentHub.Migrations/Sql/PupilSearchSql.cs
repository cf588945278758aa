namespace ConsentHub.Migrations.Sql;

/// <summary>
/// Name search that ignores case and accents ("lukasz odeg" finds Łukasz Ødegaard-Smith): a folded copy of every
/// name a pupil goes by, kept by PostgreSQL itself (a stored generated column), with a trigram index so a
/// trust-wide search is an index lookup too.
/// </summary>
internal static class PupilSearchSql
{
    public const string Up = """
        CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA consenthub;
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA consenthub;

        -- Lower case, no accents, apostrophes dropped (O’Brien is "obrien"), other spaces and punctuation (a
        -- hyphen) as one space; letters of any script are kept. IMMUTABLE (with the dictionary named explicitly), so it may feed a
        -- generated column and an index.
        CREATE OR REPLACE FUNCTION consenthub.search_fold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
            SELECT btrim(regexp_replace(regexp_replace(lower(consenthub.unaccent('consenthub.unaccent'::regdictionary, value) COLLATE "und-x-icu"),
                '[''’‘]', '', 'g'), '[[:space:][:punct:]]+', ' ', 'g'))
        $$;

        ALTER TABLE consenthub.pupils ADD COLUMN search_text text GENERATED ALWAYS AS (
            ' ' || consenthub.search_fold(legal_first_name || ' ' || legal_last_name || ' '
            || coalesce(preferred_first_name, '') || ' ' || coalesce(preferred_last_name, '')) || ' '
        ) STORED;

        CREATE INDEX ix_pupils_search_text ON consenthub.pupils USING gin (search_text consenthub.gin_trgm_ops);
        """;

    public const string Down = """
        DROP FUNCTION IF EXISTS consenthub.search_fold(text);
        DROP EXTENSION IF EXISTS pg_trgm;
        DROP EXTENSION IF EXISTS unaccent;
        """;
}
