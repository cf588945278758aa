namespace ConsentHub.Migrations.Sql;

/// <summary>
/// A published form version is what people agreed to: its wording can no longer be added to, changed or
/// removed, and the version itself cannot be unpublished or deleted. A change is a new version.
/// </summary>
internal static class FormVersionFreezeSql
{
    public const string Up = """
        CREATE OR REPLACE FUNCTION consenthub.reject_published_wording_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            version_id uuid := CASE WHEN TG_OP = 'INSERT' THEN NEW.form_version_id ELSE OLD.form_version_id END;
        BEGIN
            IF EXISTS (SELECT 1 FROM consenthub.form_versions v WHERE v.id = version_id AND v.published_at IS NOT NULL) THEN
                RAISE EXCEPTION 'form version % is published: its wording cannot change (publish a new version instead)', version_id
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$;

        CREATE TRIGGER form_wordings_frozen_when_published BEFORE INSERT OR UPDATE OR DELETE ON consenthub.form_wordings
            FOR EACH ROW EXECUTE FUNCTION consenthub.reject_published_wording_change();

        CREATE OR REPLACE FUNCTION consenthub.reject_published_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND OLD.published_at IS NOT NULL THEN
                RAISE EXCEPTION 'form version % is published and cannot be deleted', OLD.label USING ERRCODE = 'restrict_violation';
            END IF;
            IF TG_OP = 'UPDATE' AND OLD.published_at IS NOT NULL
               AND (NEW.label IS DISTINCT FROM OLD.label OR NEW.published_at IS DISTINCT FROM OLD.published_at) THEN
                RAISE EXCEPTION 'form version % is published: only its renewal date may change', OLD.label USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$;

        CREATE TRIGGER form_versions_frozen_when_published BEFORE UPDATE OR DELETE ON consenthub.form_versions
            FOR EACH ROW EXECUTE FUNCTION consenthub.reject_published_version_change();
        """;

    public const string Down = """
        DROP FUNCTION IF EXISTS consenthub.reject_published_wording_change();
        DROP FUNCTION IF EXISTS consenthub.reject_published_version_change();
        """;
}
