namespace ConsentHub.Migrations.Sql;

/// <summary>
/// Database rules that must hold whatever code writes: append-only answers and audit entries, and the
/// current-answer projection kept in the same transaction as each answer.
/// </summary>
internal static class ConsentCoreSql
{
    public const string Up = """
        CREATE OR REPLACE FUNCTION consenthub.reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- The retention purge (and only it) may remove a departed pupil's answers, inside its own transaction.
            IF TG_TABLE_NAME = 'consent_answers' AND TG_OP = 'DELETE'
               AND current_setting('consenthub.retention_purge', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END $$;

        CREATE TRIGGER consent_answers_append_only BEFORE UPDATE OR DELETE ON consenthub.consent_answers
            FOR EACH ROW EXECUTE FUNCTION consenthub.reject_change();
        CREATE TRIGGER consent_answers_no_truncate BEFORE TRUNCATE ON consenthub.consent_answers
            FOR EACH STATEMENT EXECUTE FUNCTION consenthub.reject_change();
        CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON consenthub.audit_entries
            FOR EACH ROW EXECUTE FUNCTION consenthub.reject_change();
        CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON consenthub.audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION consenthub.reject_change();

        -- Latest answer per party: by time, then append order (the same order the rule engine uses).
        CREATE OR REPLACE FUNCTION consenthub.project_current_answer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO consenthub.current_answers AS c
                (pupil_id, purpose_id, party_id, party_kind, answer_id, kind, at, form_version_id)
            VALUES (NEW.pupil_id, NEW.purpose_id, COALESCE(NEW.contact_id, '00000000-0000-0000-0000-000000000000'),
                    NEW.party_kind, NEW.id, NEW.kind, NEW.at, NEW.form_version_id)
            ON CONFLICT (pupil_id, purpose_id, party_id) DO UPDATE
                SET party_kind = EXCLUDED.party_kind, answer_id = EXCLUDED.answer_id, kind = EXCLUDED.kind,
                    at = EXCLUDED.at, form_version_id = EXCLUDED.form_version_id
                WHERE (EXCLUDED.at, EXCLUDED.answer_id) > (c.at, c.answer_id);
            RETURN NULL;
        END $$;

        CREATE TRIGGER consent_answers_project AFTER INSERT ON consenthub.consent_answers
            FOR EACH ROW EXECUTE FUNCTION consenthub.project_current_answer();
        """;

    public const string Down = """
        DROP FUNCTION IF EXISTS consenthub.project_current_answer();
        DROP FUNCTION IF EXISTS consenthub.reject_change();
        """;
}
