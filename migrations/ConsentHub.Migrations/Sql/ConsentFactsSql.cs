namespace ConsentHub.Migrations.Sql;

/// <summary>
/// Keeps consenthub.pupil_consent_facts (the check read model) equal to what the normalised tables say, in the
/// same transaction as every change (<c>changed_at</c> moves only when the document does). Statement-level triggers with transition tables: a COPY or an import of
/// thousands of rows refreshes each affected pupil once, set-based, not once per row.
/// </summary>
internal static class ConsentFactsSql
{
    /// <summary>What the Baseline ran: the facts function as it stood then (frozen in Sql/History), the rest current.</summary>
    public const string BaselineUp = History.ConsentFactsSqlAtBaseline.FactsOf + Refresh + TriggerFunction + Triggers;

    /// <summary>
    /// The facts of these pupils now; the current definition (FactsNameFromDisplayName applies it). It reads the
    /// pupils' generated <c>display_name</c>, which the Baseline's tables do not have yet.
    /// </summary>
    public const string FactsOf = """
        -- What the facts of these pupils are now. Layout version 1; ConsentFactsDocument reads it.
        CREATE OR REPLACE FUNCTION consenthub.pupil_consent_facts_of(pupil_ids uuid[])
        RETURNS TABLE (pupil_id uuid, academy_id uuid, facts json) LANGUAGE sql STABLE AS $$
            SELECT p.id, p.academy_id, json_build_object(
                'v', 1,
                -- The generated display name: a missing or blank preferred name is the legal name (PupilNamesSql).
                'name', p.display_name,
                'year', p.year_group,
                'group', p.registration_group,
                'leftOn', p.left_on,
                'alsoAskParent', p.also_ask_parent,
                'neverFeature', EXISTS (SELECT 1 FROM consenthub.safeguarding_flags s WHERE s.pupil_id = p.id AND s.cleared_at IS NULL),
                'requested', EXISTS (SELECT 1 FROM consenthub.signature_requests r WHERE r.pupil_id = p.id),
                'contacts', coalesce((
                    SELECT json_agg(json_build_object('id', c.id, 'title', c.title, 'first', c.first_name, 'last', c.last_name,
                                                      'pr', pc.has_parental_responsibility, 'noContact', pc.no_contact_order)
                                    ORDER BY pc.priority, c.id)
                    FROM consenthub.pupil_contacts pc JOIN consenthub.contacts c ON c.id = pc.contact_id
                    WHERE pc.pupil_id = p.id), '[]'::json),
                'answers', coalesce((
                    SELECT json_agg(json_build_object('purpose', ca.purpose_id, 'party', ca.party_id, 'partyKind', ca.party_kind,
                                                      'id', ca.answer_id, 'kind', ca.kind, 'at', ca.at, 'validThrough', fv.consent_valid_through)
                                    ORDER BY ca.purpose_id, ca.at, ca.answer_id)
                    FROM consenthub.current_answers ca JOIN consenthub.form_versions fv ON fv.id = ca.form_version_id
                    WHERE ca.pupil_id = p.id), '[]'::json))
            -- A join, not "p.id = ANY (pupil_ids)": an import or COPY passes tens of thousands of ids.
            FROM (SELECT DISTINCT u.id FROM unnest(pupil_ids) AS u(id)) ids
            JOIN consenthub.pupils p ON p.id = ids.id
        $$;
        """;

    private const string Refresh = """
        CREATE OR REPLACE FUNCTION consenthub.refresh_pupil_consent_facts(pupil_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF cardinality(pupil_ids) = 0 THEN RETURN; END IF;
            -- Lock first, in a fixed order, then read in a new statement: under READ COMMITTED that statement's
            -- snapshot sees every transaction that refreshed these pupils before us, so two parents answering at
            -- once cannot leave the facts without one of the answers.
            PERFORM 1 FROM consenthub.pupil_consent_facts f JOIN unnest(pupil_ids) AS u(id) ON u.id = f.pupil_id
            ORDER BY f.pupil_id FOR UPDATE OF f;
            INSERT INTO consenthub.pupil_consent_facts AS f (pupil_id, academy_id, facts, changed_at)
            SELECT n.pupil_id, n.academy_id, n.facts, now() FROM consenthub.pupil_consent_facts_of(pupil_ids) n
            ON CONFLICT (pupil_id) DO UPDATE SET academy_id = EXCLUDED.academy_id, facts = EXCLUDED.facts, changed_at = EXCLUDED.changed_at
            -- json has no equality; its text does (the function always writes keys in the same order).
            WHERE f.academy_id IS DISTINCT FROM EXCLUDED.academy_id OR f.facts::text IS DISTINCT FROM EXCLUDED.facts::text;
        END $$;

        """;

    private const string Triggers = """
        CREATE TRIGGER pupils_facts_insert AFTER INSERT ON consenthub.pupils
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER pupils_facts_update AFTER UPDATE ON consenthub.pupils
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER contacts_facts_update AFTER UPDATE ON consenthub.contacts
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER form_versions_facts_update AFTER UPDATE ON consenthub.form_versions
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();

        CREATE TRIGGER pupil_contacts_facts_insert AFTER INSERT ON consenthub.pupil_contacts
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER pupil_contacts_facts_update AFTER UPDATE ON consenthub.pupil_contacts
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER pupil_contacts_facts_delete AFTER DELETE ON consenthub.pupil_contacts
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();

        CREATE TRIGGER safeguarding_flags_facts_insert AFTER INSERT ON consenthub.safeguarding_flags
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER safeguarding_flags_facts_update AFTER UPDATE ON consenthub.safeguarding_flags
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER safeguarding_flags_facts_delete AFTER DELETE ON consenthub.safeguarding_flags
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();

        CREATE TRIGGER signature_requests_facts_insert AFTER INSERT ON consenthub.signature_requests
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER signature_requests_facts_update AFTER UPDATE ON consenthub.signature_requests
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        CREATE TRIGGER signature_requests_facts_delete AFTER DELETE ON consenthub.signature_requests
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();

        -- Answers reach current_answers through a row trigger on consent_answers; this statement trigger runs
        -- after all of them, so one COPY of many answers refreshes each pupil once.
        CREATE TRIGGER consent_answers_facts_insert AFTER INSERT ON consenthub.consent_answers
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        -- The retention purge removes current answers directly.
        CREATE TRIGGER current_answers_facts_delete AFTER DELETE ON consenthub.current_answers
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
        """;

    /// <summary>
    /// The one trigger function behind every facts trigger; the current definition (LeanerSigningWrites applies it to
    /// databases created before).
    /// </summary>
    public const string TriggerFunction = """
        -- One function for every table the facts are built from; the transition tables are always named
        -- new_rows / old_rows.
        CREATE OR REPLACE FUNCTION consenthub.refresh_consent_facts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            ids uuid[];
        BEGIN
            -- A bulk load may defer the refresh to its own end, inside the same transaction (DemoTrustLoader).
            IF current_setting('consenthub.defer_consent_facts', true) = 'on' THEN
                RETURN NULL;
            END IF;
            IF TG_TABLE_NAME = 'pupils' THEN
                SELECT array_agg(DISTINCT n.id) INTO ids FROM new_rows n;
            ELSIF TG_TABLE_NAME = 'contacts' THEN
                SELECT array_agg(DISTINCT pc.pupil_id) INTO ids
                FROM new_rows n JOIN consenthub.pupil_contacts pc ON pc.contact_id = n.id;
            ELSIF TG_TABLE_NAME = 'form_versions' THEN
                SELECT array_agg(DISTINCT ca.pupil_id) INTO ids
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                JOIN consenthub.current_answers ca ON ca.form_version_id = n.id
                WHERE n.consent_valid_through IS DISTINCT FROM o.consent_valid_through;
            ELSIF TG_TABLE_NAME = 'signature_requests' AND TG_OP = 'UPDATE' THEN
                -- A pupil's facts say whether they have been asked, not how a request stands: a change of status
                -- (answered, expired, cancelled) changes nothing in them, so only a request moved to another pupil
                -- refreshes (both pupils).
                SELECT array_agg(DISTINCT u.pupil_id) INTO ids
                FROM (SELECT n.pupil_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.pupil_id IS DISTINCT FROM o.pupil_id
                      UNION SELECT o.pupil_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.pupil_id IS DISTINCT FROM o.pupil_id) u;
            ELSIF TG_OP = 'INSERT' THEN
                SELECT array_agg(DISTINCT n.pupil_id) INTO ids FROM new_rows n;
            ELSIF TG_OP = 'DELETE' THEN
                SELECT array_agg(DISTINCT o.pupil_id) INTO ids FROM old_rows o;
            ELSE
                SELECT array_agg(DISTINCT u.pupil_id) INTO ids
                FROM (SELECT n.pupil_id FROM new_rows n UNION SELECT o.pupil_id FROM old_rows o) u;
            END IF;
            IF ids IS NOT NULL THEN
                PERFORM consenthub.refresh_pupil_consent_facts(ids);
            END IF;
            RETURN NULL;
        END $$;

        """;

    /// <summary>
    /// Every pupil's facts computed again, set-based in one statement; only documents that change are written (and
    /// only their <c>changed_at</c> moves).
    /// </summary>
    public const string RebuildAll = """
        SELECT consenthub.refresh_pupil_consent_facts(ARRAY(SELECT p.id FROM consenthub.pupils p ORDER BY p.id));
        """;

    /// <summary>Outbox attachments are PDFs, already compressed: stored out of line as they are.</summary>
    public const string AttachmentStorageUp = "ALTER TABLE consenthub.outbox_attachments ALTER COLUMN content SET STORAGE EXTERNAL;";

    public const string AttachmentStorageDown = "ALTER TABLE consenthub.outbox_attachments ALTER COLUMN content SET STORAGE EXTENDED;";

    public const string Down = """
        DROP FUNCTION IF EXISTS consenthub.refresh_consent_facts_trigger();
        DROP FUNCTION IF EXISTS consenthub.refresh_pupil_consent_facts(uuid[]);
        DROP FUNCTION IF EXISTS consenthub.pupil_consent_facts_of(uuid[]);
        """;
}
