namespace ConsentHub.Migrations.Sql;

/// <summary>
/// Live checks: every change to a pupil's consent facts, and every posting pause set, changed or lifted, is
/// announced on the channel <c>consent_changed</c> when its transaction commits, whichever app instance (or
/// import, or job) made it. Payloads carry opaque ids only, never a name or a reason:
/// <c>p:&lt;academy&gt;:&lt;pupil&gt;,&lt;pupil&gt;…</c> for up to 50 pupils of an academy, <c>a:&lt;academy&gt;</c> for more
/// (an import), <c>pauses</c> when a posting pause changed. The facts also get <c>changed_at</c>: when what a
/// check shows last changed; a refresh that changes nothing does not rewrite the row (<see cref="ConsentFactsSql"/>), so it announces nothing.
/// </summary>
internal static class CheckNotificationsSql
{
    public const string Up = """
        CREATE OR REPLACE FUNCTION consenthub.notify_consent_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            r record;
        BEGIN
            IF TG_OP = 'INSERT' THEN
                FOR r IN SELECT n.academy_id, array_agg(n.pupil_id ORDER BY n.pupil_id) AS ids FROM new_rows n GROUP BY n.academy_id LOOP
                    PERFORM consenthub.notify_consent_changed_for(r.academy_id, r.ids);
                END LOOP;
            ELSE
                -- A pupil who moved academy is announced to both.
                FOR r IN SELECT u.academy_id, array_agg(DISTINCT u.pupil_id) AS ids
                         FROM (SELECT n.academy_id, n.pupil_id FROM new_rows n UNION ALL SELECT o.academy_id, o.pupil_id FROM old_rows o) u
                         GROUP BY u.academy_id LOOP
                    PERFORM consenthub.notify_consent_changed_for(r.academy_id, r.ids);
                END LOOP;
            END IF;
            RETURN NULL;
        END $$;

        CREATE OR REPLACE FUNCTION consenthub.notify_consent_changed_for(academy uuid, ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            -- A payload is at most 8000 bytes: fifty ids fit easily; more than that is a bulk change, sent as the academy.
            IF cardinality(ids) > 50 THEN
                PERFORM pg_notify('consent_changed', 'a:' || academy::text);
            ELSE
                PERFORM pg_notify('consent_changed', 'p:' || academy::text || ':' || array_to_string(ids, ','));
            END IF;
        END $$;

        CREATE TRIGGER pupil_consent_facts_notify_insert AFTER INSERT ON consenthub.pupil_consent_facts
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.notify_consent_facts_changed();
        CREATE TRIGGER pupil_consent_facts_notify_update AFTER UPDATE ON consenthub.pupil_consent_facts
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.notify_consent_facts_changed();

        CREATE OR REPLACE FUNCTION consenthub.notify_posting_pauses_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('consent_changed', 'pauses');
            RETURN NULL;
        END $$;

        CREATE TRIGGER posting_pauses_notify AFTER INSERT OR UPDATE OR DELETE ON consenthub.posting_pauses
            FOR EACH STATEMENT EXECUTE FUNCTION consenthub.notify_posting_pauses_changed();
        """;

    public const string Down = """
        DROP FUNCTION IF EXISTS consenthub.notify_posting_pauses_changed();
        DROP FUNCTION IF EXISTS consenthub.notify_consent_facts_changed();
        DROP FUNCTION IF EXISTS consenthub.notify_consent_changed_for(uuid, uuid[]);
        """;
}
