SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
CREATE SCHEMA consenthub;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA consenthub;
COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA consenthub;
COMMENT ON EXTENSION unaccent IS 'text search dictionary that removes accents';
CREATE FUNCTION consenthub.may_answer(party_kind text, year_group integer, left_on date, has_parental_responsibility boolean, no_contact_order boolean, today date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT (left_on IS NULL OR left_on > today)
       AND CASE WHEN party_kind = 'Pupil' THEN year_group >= 7
                ELSE coalesce(has_parental_responsibility AND NOT no_contact_order, false) END
$$;
CREATE FUNCTION consenthub.notify_consent_changed_for(academy uuid, ids uuid[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- A payload is at most 8000 bytes: fifty ids fit easily; more than that is a bulk change, sent as the academy.
    IF cardinality(ids) > 50 THEN
        PERFORM pg_notify('consent_changed', 'a:' || academy::text);
    ELSE
        PERFORM pg_notify('consent_changed', 'p:' || academy::text || ':' || array_to_string(ids, ','));
    END IF;
END $$;
CREATE FUNCTION consenthub.notify_consent_facts_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
CREATE FUNCTION consenthub.notify_posting_pauses_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('consent_changed', 'pauses');
    RETURN NULL;
END $$;
CREATE FUNCTION consenthub.project_current_answer() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
CREATE FUNCTION consenthub.pupil_consent_facts_of(pupil_ids uuid[]) RETURNS TABLE(pupil_id uuid, academy_id uuid, facts json)
    LANGUAGE sql STABLE
    AS $$
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
CREATE FUNCTION consenthub.refresh_consent_facts_trigger() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
CREATE FUNCTION consenthub.refresh_pupil_consent_facts(pupil_ids uuid[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
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
CREATE FUNCTION consenthub.reject_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- The retention purge (and only it) may remove a departed pupil's answers, inside its own transaction.
    IF TG_TABLE_NAME = 'consent_answers' AND TG_OP = 'DELETE'
       AND current_setting('consenthub.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE FUNCTION consenthub.reject_published_version_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
CREATE FUNCTION consenthub.reject_published_wording_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    version_id uuid := CASE WHEN TG_OP = 'INSERT' THEN NEW.form_version_id ELSE OLD.form_version_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM consenthub.form_versions v WHERE v.id = version_id AND v.published_at IS NOT NULL) THEN
        RAISE EXCEPTION 'form version % is published: its wording cannot change (publish a new version instead)', version_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE FUNCTION consenthub.search_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT btrim(regexp_replace(regexp_replace(lower(consenthub.unaccent('consenthub.unaccent'::regdictionary, value) COLLATE "und-x-icu"),
        '[''’‘]', '', 'g'), '[[:space:][:punct:]]+', ' ', 'g'))
$$;
SET default_tablespace = '';
SET default_table_access_method = heap;
CREATE TABLE consenthub.__ef_migrations_history (
    migration_id character varying(150) NOT NULL,
    product_version character varying(32) NOT NULL
);
CREATE TABLE consenthub.academies (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    code character varying(20) NOT NULL,
    name character varying(200) NOT NULL,
    phase character varying(24) NOT NULL,
    lowest_year integer NOT NULL,
    highest_year integer NOT NULL,
    office_email character varying(254),
    office_phone character varying(40),
    CONSTRAINT ck_academies_office_email CHECK (((office_email)::text ~ '^[^@[:space:]]+@[^@[:space:]]+$'::text)),
    CONSTRAINT ck_academies_office_phone CHECK ((((office_phone)::text ~ '^[0-9 +()-]+$'::text) AND ((office_phone)::text ~ '([0-9][^0-9]*){6}'::text)))
);
CREATE TABLE consenthub.academy_logos (
    academy_id uuid NOT NULL,
    content bytea NOT NULL,
    content_type character varying(32) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    updated_by character varying(200) NOT NULL
);
CREATE TABLE consenthub.affiliated_accounts (
    id uuid NOT NULL,
    platform character varying(20) NOT NULL,
    handle character varying(100) NOT NULL,
    url character varying(300),
    scope character varying(20) NOT NULL,
    scope_id uuid,
    first_admin_name character varying(120) NOT NULL,
    first_admin_email character varying(254) NOT NULL,
    second_admin_name character varying(120) NOT NULL,
    second_admin_email character varying(254) NOT NULL,
    registered_at timestamp with time zone NOT NULL,
    registered_by character varying(200) NOT NULL,
    closed_at timestamp with time zone,
    closed_by character varying(200)
);
CREATE TABLE consenthub.answer_idempotency_keys (
    owner character varying(200) NOT NULL,
    key character varying(255) NOT NULL,
    request_hash character varying(64) NOT NULL,
    answer_id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_answer_idempotency_keys_key CHECK ((((length((key)::text) >= 1) AND (length((key)::text) <= 255)) AND ((key)::text !~ '[^!-~]'::text)))
);
CREATE TABLE consenthub.api_keys (
    id uuid NOT NULL,
    name character varying(120) NOT NULL,
    prefix character varying(16) NOT NULL,
    secret_hash bytea NOT NULL,
    academy_id uuid,
    created_by character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone,
    expires_at timestamp with time zone,
    revoked_by character varying(200)
);
CREATE TABLE consenthub.audit_chain_heads (
    chain_id uuid NOT NULL,
    last_sequence bigint NOT NULL,
    last_hash bytea NOT NULL
);
CREATE TABLE consenthub.audit_entries (
    id bigint NOT NULL,
    chain_id uuid NOT NULL,
    sequence bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor character varying(200) NOT NULL,
    action character varying(60) NOT NULL,
    entity_type character varying(60),
    entity_id character varying(80),
    pupil_id uuid,
    payload text NOT NULL,
    previous_hash bytea NOT NULL,
    hash bytea NOT NULL
);
ALTER TABLE consenthub.audit_entries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME consenthub.audit_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE consenthub.board_meetings (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    date date NOT NULL,
    report_sent_at timestamp with time zone
);
CREATE TABLE consenthub.consent_answer_date_corrections (
    answer_id bigint NOT NULL,
    original_at text NOT NULL,
    original_recorded_at text NOT NULL,
    corrected_at timestamp with time zone NOT NULL,
    corrected_on timestamp with time zone DEFAULT now() NOT NULL,
    reason text NOT NULL
);
COMMENT ON TABLE consenthub.consent_answer_date_corrections IS 'Answers whose stored time was impossible (before 2000, or after they were recorded) and were set to the time they were recorded when ck_consent_answers_dates was added.';
CREATE TABLE consenthub.consent_answers (
    id bigint NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    purpose_id uuid NOT NULL,
    party_kind character varying(16) NOT NULL,
    contact_id uuid,
    kind character varying(16) NOT NULL,
    method character varying(24) NOT NULL,
    form_version_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by character varying(200) NOT NULL,
    signature_name character varying(200),
    ip_hash character varying(64),
    user_agent character varying(400),
    scan_reference character varying(200),
    attested boolean NOT NULL,
    note character varying(1000),
    online_submission_id uuid,
    signature_request_id uuid,
    CONSTRAINT ck_consent_answers_dates CHECK (
CASE
    WHEN ((at >= '2000-01-01 00:00:00+00'::timestamp with time zone) AND (at < 'infinity'::timestamp with time zone) AND (recorded_at >= '2000-01-01 00:00:00+00'::timestamp with time zone) AND (recorded_at < 'infinity'::timestamp with time zone)) THEN ((at - recorded_at) <= '00:05:00'::interval)
    ELSE false
END)
);
ALTER TABLE consenthub.consent_answers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME consenthub.consent_answers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE consenthub.contacts (
    id uuid NOT NULL,
    title character varying(20),
    first_name character varying(100) NOT NULL,
    last_name character varying(100) NOT NULL,
    email character varying(320),
    phone character varying(40),
    preferred_language character varying(16) NOT NULL,
    email_failing_since timestamp with time zone,
    email_failing_reason character varying(500)
);
CREATE TABLE consenthub.coverage_snapshots (
    day date NOT NULL,
    academy_id uuid NOT NULL,
    purpose_id uuid NOT NULL,
    pupils integer NOT NULL,
    allowed integer NOT NULL,
    not_allowed integer NOT NULL,
    pending integer NOT NULL,
    not_requested integer NOT NULL,
    classes integer NOT NULL,
    classes_all_allowed integer NOT NULL,
    taken_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_coverage_snapshots_sum CHECK (((((allowed + not_allowed) + pending) + not_requested) = pupils))
);
CREATE TABLE consenthub.current_answers (
    pupil_id uuid NOT NULL,
    purpose_id uuid NOT NULL,
    party_id uuid NOT NULL,
    party_kind character varying(16) NOT NULL,
    answer_id bigint NOT NULL,
    kind character varying(16) NOT NULL,
    at timestamp with time zone NOT NULL,
    form_version_id uuid NOT NULL
);
CREATE TABLE consenthub.data_protection_keys (
    id integer NOT NULL,
    friendly_name text,
    xml text
);
ALTER TABLE consenthub.data_protection_keys ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME consenthub.data_protection_keys_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE consenthub.follow_up_actions (
    id bigint NOT NULL,
    follow_up_id uuid NOT NULL,
    kind character varying(24) NOT NULL,
    note character varying(500),
    by character varying(200) NOT NULL,
    at timestamp with time zone NOT NULL
);
ALTER TABLE consenthub.follow_up_actions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME consenthub.follow_up_actions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE consenthub.follow_ups (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    signature_request_id uuid NOT NULL,
    pupil_id uuid NOT NULL,
    party_kind character varying(16) NOT NULL,
    contact_id uuid,
    reason character varying(24) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone,
    resolved_by character varying(200)
);
CREATE TABLE consenthub.form_packs (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    year_group integer,
    registration_group character varying(20),
    only_without_email boolean NOT NULL,
    description character varying(300) NOT NULL,
    requested_by character varying(200) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    status character varying(16) NOT NULL,
    total integer NOT NULL,
    done integer NOT NULL,
    pages integer NOT NULL,
    content bytea,
    completed_at timestamp with time zone,
    error character varying(1000),
    expires_at timestamp with time zone NOT NULL
);
CREATE TABLE consenthub.form_versions (
    id uuid NOT NULL,
    label character varying(40) NOT NULL,
    published_at timestamp with time zone,
    consent_valid_through date
);
CREATE TABLE consenthub.form_wordings (
    id uuid NOT NULL,
    form_version_id uuid NOT NULL,
    purpose_id uuid NOT NULL,
    audience character varying(16) NOT NULL,
    language character varying(16) NOT NULL,
    text character varying(8000) NOT NULL
);
CREATE TABLE consenthub.monitoring_reports (
    id uuid NOT NULL,
    region_id uuid,
    "from" date NOT NULL,
    "to" date NOT NULL,
    status character varying(16) NOT NULL,
    progress integer NOT NULL,
    pdf bytea,
    pages integer NOT NULL,
    requested_by character varying(200) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    error character varying(500)
);
CREATE TABLE consenthub.online_submissions (
    id uuid NOT NULL,
    receipt_number character varying(20) NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    party_kind character varying(16) NOT NULL,
    contact_id uuid,
    kind character varying(16) NOT NULL,
    signature_request_id uuid,
    signer_link_id uuid,
    form_version_id uuid NOT NULL,
    signature_name character varying(200),
    language character varying(16) NOT NULL,
    submitted_at timestamp with time zone NOT NULL
);
CREATE TABLE consenthub.outbox_attachments (
    id bigint NOT NULL,
    outbox_message_id bigint NOT NULL,
    file_name character varying(200) NOT NULL,
    content_type character varying(100) NOT NULL,
    content bytea NOT NULL
);
ALTER TABLE ONLY consenthub.outbox_attachments ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE consenthub.outbox_attachments ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME consenthub.outbox_attachments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE consenthub.outbox_messages (
    id bigint NOT NULL,
    business_key character varying(200) NOT NULL,
    message_id character varying(200) NOT NULL,
    to_address character varying(320) NOT NULL,
    to_name character varying(200),
    subject character varying(300) NOT NULL,
    text_body text NOT NULL,
    html_body text,
    academy_id uuid,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    claimed_at timestamp with time zone,
    sent_at timestamp with time zone,
    last_error character varying(2000),
    signature_request_id uuid,
    claim_key bigint,
    sealed_secrets character varying(8000)
);
ALTER TABLE consenthub.outbox_messages ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME consenthub.outbox_messages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE consenthub.paper_scans (
    id uuid NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    request_id uuid,
    content_type character varying(32) NOT NULL,
    sha256 bytea NOT NULL,
    size integer NOT NULL,
    content bytea NOT NULL,
    uploaded_by character varying(200) NOT NULL,
    uploaded_at timestamp with time zone NOT NULL
);
CREATE TABLE consenthub.photo_batch_items (
    batch_id uuid NOT NULL,
    "position" integer NOT NULL,
    photo_id uuid NOT NULL,
    content bytea,
    state character varying(16) NOT NULL,
    faces integer,
    message character varying(400)
);
CREATE TABLE consenthub.photo_batches (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    uploaded_by character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    total integer NOT NULL,
    processed integer NOT NULL,
    refused integer NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT ck_photo_batches_counts CHECK (((processed >= 0) AND (refused >= 0) AND ((processed + refused) <= total)))
);
CREATE TABLE consenthub.photo_devices (
    id uuid NOT NULL,
    make character varying(100) NOT NULL,
    model character varying(100) NOT NULL,
    serial character varying(100),
    owner_label character varying(100),
    added_by character varying(200) NOT NULL,
    added_at timestamp with time zone NOT NULL,
    removed_by character varying(200),
    removed_at timestamp with time zone,
    CONSTRAINT ck_photo_devices_make_model CHECK (((length(btrim((make)::text)) > 0) AND (length(btrim((model)::text)) > 0))),
    CONSTRAINT ck_photo_devices_serial_or_label CHECK (((serial IS NOT NULL) OR (owner_label IS NOT NULL)))
);
CREATE TABLE consenthub.photo_exports (
    id uuid NOT NULL,
    photo_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    purpose_id uuid NOT NULL,
    account_id uuid,
    shown_pupil_ids uuid[] NOT NULL,
    hidden_pupil_ids uuid[] NOT NULL,
    hidden_faces integer NOT NULL,
    exported_by character varying(200) NOT NULL,
    exported_at timestamp with time zone NOT NULL,
    content bytea NOT NULL,
    sha256 bytea NOT NULL
);
CREATE TABLE consenthub.photo_faces (
    id uuid NOT NULL,
    photo_id uuid NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    source character varying(16) NOT NULL,
    score real,
    tag character varying(16) NOT NULL,
    pupil_id uuid,
    tagged_by character varying(200),
    tagged_at timestamp with time zone,
    CONSTRAINT ck_photo_faces_box CHECK (((x >= 0) AND (y >= 0) AND (width > 0) AND (height > 0))),
    CONSTRAINT ck_photo_faces_pupil_only_when_tagged CHECK (((pupil_id IS NULL) OR ((tag)::text = 'Pupil'::text)))
);
CREATE TABLE consenthub.photo_originals (
    photo_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    content bytea NOT NULL
);
CREATE TABLE consenthub.photo_post_images (
    post_id uuid NOT NULL,
    export_id uuid NOT NULL
);
CREATE TABLE consenthub.photo_post_pupils (
    post_id uuid NOT NULL,
    pupil_id uuid NOT NULL
);
CREATE TABLE consenthub.photo_posts (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    account_id uuid NOT NULL,
    url character varying(2000) NOT NULL,
    posted_on date NOT NULL,
    recorded_by character varying(200) NOT NULL,
    recorded_at timestamp with time zone NOT NULL
);
CREATE TABLE consenthub.photos (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    content_type character varying(32) NOT NULL,
    byte_size integer NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    sha256 bytea NOT NULL,
    uploaded_by character varying(200) NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    published_at timestamp with time zone,
    camera_make character varying(100),
    camera_model character varying(100),
    camera_serial character varying(100)
);
CREATE TABLE consenthub.posting_pauses (
    id uuid NOT NULL,
    scope character varying(16) NOT NULL,
    scope_id uuid,
    "from" timestamp with time zone NOT NULL,
    until timestamp with time zone,
    reason character varying(1000) NOT NULL,
    set_by character varying(200) NOT NULL,
    set_at timestamp with time zone NOT NULL,
    end_notice_at timestamp with time zone,
    lifted_at timestamp with time zone,
    lifted_by character varying(200),
    start_notice_at timestamp with time zone,
    CONSTRAINT ck_posting_pauses_scope_id CHECK ((((scope)::text = 'Trust'::text) = (scope_id IS NULL))),
    CONSTRAINT ck_posting_pauses_until_after_from CHECK (((until IS NULL) OR (until >= "from")))
);
CREATE TABLE consenthub.pupil_consent_facts (
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    facts json NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE consenthub.pupil_contacts (
    pupil_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    relationship character varying(60) NOT NULL,
    has_parental_responsibility boolean NOT NULL,
    no_contact_order boolean NOT NULL,
    priority integer NOT NULL
);
CREATE TABLE consenthub.pupils (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    mis_id character varying(40) NOT NULL,
    legal_first_name character varying(100) NOT NULL,
    legal_last_name character varying(100) NOT NULL,
    preferred_first_name character varying(100),
    preferred_last_name character varying(100),
    date_of_birth date NOT NULL,
    year_group integer NOT NULL,
    registration_group character varying(40),
    started_on date,
    left_on date,
    school_email character varying(320),
    also_ask_parent boolean NOT NULL,
    also_ask_parent_reason character varying(1000),
    search_text text GENERATED ALWAYS AS (((' '::text || consenthub.search_fold((((((((legal_first_name)::text || ' '::text) || (legal_last_name)::text) || ' '::text) || (COALESCE(preferred_first_name, ''::character varying))::text) || ' '::text) || (COALESCE(preferred_last_name, ''::character varying))::text))) || ' '::text)) STORED,
    display_first_name text GENERATED ALWAYS AS (
CASE
    WHEN ((preferred_first_name IS NULL) OR ((preferred_first_name)::text ~ '^[[:space:]]*$'::text)) THEN legal_first_name
    ELSE preferred_first_name
END) STORED,
    display_last_name text GENERATED ALWAYS AS (
CASE
    WHEN ((preferred_last_name IS NULL) OR ((preferred_last_name)::text ~ '^[[:space:]]*$'::text)) THEN legal_last_name
    ELSE preferred_last_name
END) STORED,
    display_name text GENERATED ALWAYS AS ((((
CASE
    WHEN ((preferred_first_name IS NULL) OR ((preferred_first_name)::text ~ '^[[:space:]]*$'::text)) THEN legal_first_name
    ELSE preferred_first_name
END)::text || ' '::text) || (
CASE
    WHEN ((preferred_last_name IS NULL) OR ((preferred_last_name)::text ~ '^[[:space:]]*$'::text)) THEN legal_last_name
    ELSE preferred_last_name
END)::text)) STORED
);
CREATE TABLE consenthub.purposes (
    id uuid NOT NULL,
    key character varying(60) NOT NULL,
    name character varying(120) NOT NULL,
    description character varying(1000) NOT NULL,
    lawful_basis character varying(24) NOT NULL,
    validity_kind character varying(24) NOT NULL,
    validity_months integer NOT NULL,
    publishes_on_trust_accounts boolean NOT NULL,
    sort_order integer NOT NULL,
    active boolean NOT NULL
);
CREATE TABLE consenthub.regions (
    id uuid NOT NULL,
    trust_id uuid NOT NULL,
    name character varying(200) NOT NULL
);
CREATE TABLE consenthub.renewal_asks (
    answer_id bigint NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    expires_on date NOT NULL,
    asked_at timestamp with time zone NOT NULL,
    issue_id uuid
);
CREATE TABLE consenthub.request_issues (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    form_version_id uuid NOT NULL,
    audience_kind character varying(24) NOT NULL,
    audience_description character varying(500) NOT NULL,
    deadline date NOT NULL,
    delivery character varying(24) NOT NULL,
    issued_by character varying(200) NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    pupils integer NOT NULL,
    requests_created integer NOT NULL,
    emails_queued integer NOT NULL,
    on_paper integer NOT NULL,
    skipped integer NOT NULL
);
CREATE TABLE consenthub.retention_runs (
    id uuid NOT NULL,
    dry_run boolean NOT NULL,
    run_by character varying(200) NOT NULL,
    ran_at timestamp with time zone NOT NULL,
    left_before date NOT NULL,
    pupils integer NOT NULL,
    contacts integer NOT NULL,
    answers integer NOT NULL,
    pupils_by_academy jsonb NOT NULL
);
CREATE TABLE consenthub.rollover_reports (
    id uuid NOT NULL,
    academy_id uuid NOT NULL,
    trigger character varying(20) NOT NULL,
    run_by character varying(200) NOT NULL,
    ran_at timestamp with time zone NOT NULL,
    pupils_on_roll integer NOT NULL,
    pupil_now_asked uuid[] NOT NULL,
    parent_now_asked uuid[] NOT NULL,
    parent_no_longer_asked uuid[] NOT NULL,
    pupil_no_longer_asked uuid[] NOT NULL,
    issue_id uuid,
    requests_created integer NOT NULL,
    emails_queued integer NOT NULL,
    on_paper integer NOT NULL,
    requests_closed integer NOT NULL
);
CREATE TABLE consenthub.safeguarding_flags (
    id uuid NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    reason character varying(2000) NOT NULL,
    set_by character varying(200) NOT NULL,
    set_at timestamp with time zone NOT NULL,
    cleared_by character varying(200),
    cleared_at timestamp with time zone
);
CREATE TABLE consenthub.signature_requests (
    id uuid NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    form_version_id uuid NOT NULL,
    party_kind character varying(16) NOT NULL,
    contact_id uuid,
    issued_at timestamp with time zone NOT NULL,
    issued_by character varying(200) NOT NULL,
    deadline date,
    status character varying(16) NOT NULL,
    expires_at timestamp with time zone DEFAULT '-infinity'::timestamp with time zone NOT NULL,
    short_code character(8) DEFAULT ''::bpchar NOT NULL,
    token_hash bytea DEFAULT '\x'::bytea NOT NULL,
    delivery character varying(16),
    issue_id uuid,
    cancel_reason character varying(200),
    cancelled_at timestamp with time zone
);
CREATE TABLE consenthub.signer_links (
    id uuid NOT NULL,
    token_hash bytea NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    party_kind character varying(16) NOT NULL,
    contact_id uuid,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);
CREATE TABLE consenthub.signing_lockouts (
    target_id uuid NOT NULL,
    failed_attempts integer NOT NULL,
    locked_until timestamp with time zone,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE consenthub.staff_role_assignments (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    role character varying(40) NOT NULL,
    academy_id uuid,
    region_id uuid,
    CONSTRAINT ck_staff_role_assignments_one_scope CHECK (((academy_id IS NULL) OR (region_id IS NULL)))
);
CREATE TABLE consenthub.staff_sessions (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    started_at timestamp with time zone NOT NULL
);
CREATE TABLE consenthub.staff_user_claims (
    id integer NOT NULL,
    user_id uuid NOT NULL,
    claim_type text,
    claim_value text
);
ALTER TABLE consenthub.staff_user_claims ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME consenthub.staff_user_claims_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE consenthub.staff_user_logins (
    login_provider text NOT NULL,
    provider_key text NOT NULL,
    provider_display_name text,
    user_id uuid NOT NULL
);
CREATE TABLE consenthub.staff_user_tokens (
    user_id uuid NOT NULL,
    login_provider text NOT NULL,
    name text NOT NULL,
    value text
);
CREATE TABLE consenthub.staff_users (
    id uuid NOT NULL,
    display_name character varying(200) NOT NULL,
    disabled boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    user_name character varying(256),
    normalized_user_name character varying(256),
    email character varying(256),
    normalized_email character varying(256),
    email_confirmed boolean NOT NULL,
    password_hash text,
    security_stamp text,
    concurrency_stamp text,
    phone_number text,
    phone_number_confirmed boolean NOT NULL,
    two_factor_enabled boolean NOT NULL,
    lockout_end timestamp with time zone,
    lockout_enabled boolean NOT NULL,
    access_failed_count integer NOT NULL
);
CREATE TABLE consenthub.takedown_tasks (
    id uuid NOT NULL,
    pupil_id uuid NOT NULL,
    academy_id uuid NOT NULL,
    purpose_id uuid NOT NULL,
    account_id uuid NOT NULL,
    reason character varying(40) NOT NULL,
    answer_id bigint,
    created_at timestamp with time zone NOT NULL,
    done_by character varying(200),
    done_at timestamp with time zone,
    done_by_name character varying(200),
    done_note character varying(500),
    escalated_at timestamp with time zone,
    notified_at timestamp with time zone,
    post_id uuid
);
CREATE TABLE consenthub.translation_reviews (
    id uuid NOT NULL,
    form_version_id uuid NOT NULL,
    language character varying(16) NOT NULL,
    reviewed_by character varying(200) NOT NULL,
    reviewed_at timestamp with time zone NOT NULL
);
CREATE TABLE consenthub.trusts (
    id uuid NOT NULL,
    name character varying(200) NOT NULL,
    email_domains text[] NOT NULL,
    require_every_parental_responsibility_holder boolean NOT NULL,
    academic_year_start_month integer NOT NULL,
    academic_year_start_day integer NOT NULL,
    chase_anchor character varying(24) DEFAULT 'AfterIssue'::character varying NOT NULL,
    chase_follow_up_after_days integer DEFAULT 2 NOT NULL,
    chase_offsets_days integer[] DEFAULT ARRAY[3, 7, 14] NOT NULL,
    chase_quiet_from time without time zone DEFAULT '21:00:00'::time without time zone NOT NULL,
    chase_quiet_until time without time zone DEFAULT '07:00:00'::time without time zone NOT NULL,
    chase_skip_weekends boolean DEFAULT false NOT NULL
);
ALTER TABLE ONLY consenthub.__ef_migrations_history
    ADD CONSTRAINT __ef_migrations_history_pkey PRIMARY KEY (migration_id);
ALTER TABLE ONLY consenthub.consent_answer_date_corrections
    ADD CONSTRAINT consent_answer_date_corrections_pkey PRIMARY KEY (answer_id);
ALTER TABLE ONLY consenthub.academies
    ADD CONSTRAINT pk_academies PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.academy_logos
    ADD CONSTRAINT pk_academy_logos PRIMARY KEY (academy_id);
ALTER TABLE ONLY consenthub.affiliated_accounts
    ADD CONSTRAINT pk_affiliated_accounts PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.answer_idempotency_keys
    ADD CONSTRAINT pk_answer_idempotency_keys PRIMARY KEY (owner, key);
ALTER TABLE ONLY consenthub.api_keys
    ADD CONSTRAINT pk_api_keys PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.audit_chain_heads
    ADD CONSTRAINT pk_audit_chain_heads PRIMARY KEY (chain_id);
ALTER TABLE ONLY consenthub.audit_entries
    ADD CONSTRAINT pk_audit_entries PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.board_meetings
    ADD CONSTRAINT pk_board_meetings PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT pk_consent_answers PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.contacts
    ADD CONSTRAINT pk_contacts PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.coverage_snapshots
    ADD CONSTRAINT pk_coverage_snapshots PRIMARY KEY (day, academy_id, purpose_id);
ALTER TABLE ONLY consenthub.current_answers
    ADD CONSTRAINT pk_current_answers PRIMARY KEY (pupil_id, purpose_id, party_id);
ALTER TABLE ONLY consenthub.data_protection_keys
    ADD CONSTRAINT pk_data_protection_keys PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.follow_up_actions
    ADD CONSTRAINT pk_follow_up_actions PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.follow_ups
    ADD CONSTRAINT pk_follow_ups PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.form_packs
    ADD CONSTRAINT pk_form_packs PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.form_versions
    ADD CONSTRAINT pk_form_versions PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.form_wordings
    ADD CONSTRAINT pk_form_wordings PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.monitoring_reports
    ADD CONSTRAINT pk_monitoring_reports PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.online_submissions
    ADD CONSTRAINT pk_online_submissions PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.outbox_attachments
    ADD CONSTRAINT pk_outbox_attachments PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.outbox_messages
    ADD CONSTRAINT pk_outbox_messages PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.paper_scans
    ADD CONSTRAINT pk_paper_scans PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.photo_batch_items
    ADD CONSTRAINT pk_photo_batch_items PRIMARY KEY (batch_id, "position");
ALTER TABLE ONLY consenthub.photo_batches
    ADD CONSTRAINT pk_photo_batches PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.photo_devices
    ADD CONSTRAINT pk_photo_devices PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.photo_exports
    ADD CONSTRAINT pk_photo_exports PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.photo_faces
    ADD CONSTRAINT pk_photo_faces PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.photo_originals
    ADD CONSTRAINT pk_photo_originals PRIMARY KEY (photo_id);
ALTER TABLE ONLY consenthub.photo_post_images
    ADD CONSTRAINT pk_photo_post_images PRIMARY KEY (post_id, export_id);
ALTER TABLE ONLY consenthub.photo_post_pupils
    ADD CONSTRAINT pk_photo_post_pupils PRIMARY KEY (post_id, pupil_id);
ALTER TABLE ONLY consenthub.photo_posts
    ADD CONSTRAINT pk_photo_posts PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.photos
    ADD CONSTRAINT pk_photos PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.posting_pauses
    ADD CONSTRAINT pk_posting_pauses PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.pupil_consent_facts
    ADD CONSTRAINT pk_pupil_consent_facts PRIMARY KEY (pupil_id);
ALTER TABLE ONLY consenthub.pupil_contacts
    ADD CONSTRAINT pk_pupil_contacts PRIMARY KEY (pupil_id, contact_id);
ALTER TABLE ONLY consenthub.pupils
    ADD CONSTRAINT pk_pupils PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.purposes
    ADD CONSTRAINT pk_purposes PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.regions
    ADD CONSTRAINT pk_regions PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.renewal_asks
    ADD CONSTRAINT pk_renewal_asks PRIMARY KEY (answer_id);
ALTER TABLE ONLY consenthub.request_issues
    ADD CONSTRAINT pk_request_issues PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.retention_runs
    ADD CONSTRAINT pk_retention_runs PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.rollover_reports
    ADD CONSTRAINT pk_rollover_reports PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.safeguarding_flags
    ADD CONSTRAINT pk_safeguarding_flags PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.signature_requests
    ADD CONSTRAINT pk_signature_requests PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.signer_links
    ADD CONSTRAINT pk_signer_links PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.signing_lockouts
    ADD CONSTRAINT pk_signing_lockouts PRIMARY KEY (target_id);
ALTER TABLE ONLY consenthub.staff_role_assignments
    ADD CONSTRAINT pk_staff_role_assignments PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.staff_sessions
    ADD CONSTRAINT pk_staff_sessions PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.staff_user_claims
    ADD CONSTRAINT pk_staff_user_claims PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.staff_user_logins
    ADD CONSTRAINT pk_staff_user_logins PRIMARY KEY (login_provider, provider_key);
ALTER TABLE ONLY consenthub.staff_user_tokens
    ADD CONSTRAINT pk_staff_user_tokens PRIMARY KEY (user_id, login_provider, name);
ALTER TABLE ONLY consenthub.staff_users
    ADD CONSTRAINT pk_staff_users PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.takedown_tasks
    ADD CONSTRAINT pk_takedown_tasks PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.translation_reviews
    ADD CONSTRAINT pk_translation_reviews PRIMARY KEY (id);
ALTER TABLE ONLY consenthub.trusts
    ADD CONSTRAINT pk_trusts PRIMARY KEY (id);
CREATE UNIQUE INDEX ix_academies_code ON consenthub.academies USING btree (code);
CREATE INDEX ix_academies_region_id ON consenthub.academies USING btree (region_id);
CREATE UNIQUE INDEX ix_affiliated_accounts_platform_handle ON consenthub.affiliated_accounts USING btree (platform, handle) WHERE (closed_at IS NULL);
CREATE INDEX ix_affiliated_accounts_scope_scope_id ON consenthub.affiliated_accounts USING btree (scope, scope_id);
CREATE INDEX ix_answer_idempotency_keys_answer_id ON consenthub.answer_idempotency_keys USING btree (answer_id);
CREATE INDEX ix_answer_idempotency_keys_created_at ON consenthub.answer_idempotency_keys USING btree (created_at);
CREATE INDEX ix_api_keys_academy_id ON consenthub.api_keys USING btree (academy_id);
CREATE UNIQUE INDEX ix_api_keys_prefix ON consenthub.api_keys USING btree (prefix);
CREATE UNIQUE INDEX ix_audit_entries_chain_id_sequence ON consenthub.audit_entries USING btree (chain_id, sequence);
CREATE INDEX ix_audit_entries_pupil_id_at ON consenthub.audit_entries USING btree (pupil_id, at);
CREATE UNIQUE INDEX ix_board_meetings_region_id_date ON consenthub.board_meetings USING btree (region_id, date);
CREATE INDEX ix_consent_answers_academy_id ON consenthub.consent_answers USING btree (academy_id);
CREATE INDEX ix_consent_answers_contact_id ON consenthub.consent_answers USING btree (contact_id);
CREATE INDEX ix_consent_answers_form_version_id ON consenthub.consent_answers USING btree (form_version_id);
CREATE INDEX ix_consent_answers_online_submission_id ON consenthub.consent_answers USING btree (online_submission_id) WHERE (online_submission_id IS NOT NULL);
CREATE INDEX ix_consent_answers_pupil_id_purpose_id_at ON consenthub.consent_answers USING btree (pupil_id, purpose_id, at);
CREATE INDEX ix_consent_answers_purpose_id ON consenthub.consent_answers USING btree (purpose_id);
CREATE INDEX ix_consent_answers_signature_request_id ON consenthub.consent_answers USING btree (signature_request_id);
CREATE INDEX ix_contacts_email ON consenthub.contacts USING btree (email);
CREATE INDEX ix_coverage_snapshots_academy_id_day ON consenthub.coverage_snapshots USING btree (academy_id, day);
CREATE INDEX ix_coverage_snapshots_purpose_id ON consenthub.coverage_snapshots USING btree (purpose_id);
CREATE INDEX ix_follow_up_actions_follow_up_id ON consenthub.follow_up_actions USING btree (follow_up_id);
CREATE INDEX ix_follow_ups_academy_id_created_at ON consenthub.follow_ups USING btree (academy_id, created_at) WHERE (resolved_at IS NULL);
CREATE INDEX ix_follow_ups_pupil_id ON consenthub.follow_ups USING btree (pupil_id);
CREATE UNIQUE INDEX ix_follow_ups_signature_request_id ON consenthub.follow_ups USING btree (signature_request_id);
CREATE INDEX ix_form_packs_academy_id_requested_at ON consenthub.form_packs USING btree (academy_id, requested_at);
CREATE INDEX ix_form_packs_expires_at ON consenthub.form_packs USING btree (expires_at);
CREATE UNIQUE INDEX ix_form_versions_label ON consenthub.form_versions USING btree (label);
CREATE UNIQUE INDEX ix_form_wordings_form_version_id_purpose_id_audience_language ON consenthub.form_wordings USING btree (form_version_id, purpose_id, audience, language);
CREATE INDEX ix_form_wordings_purpose_id ON consenthub.form_wordings USING btree (purpose_id);
CREATE INDEX ix_monitoring_reports_region_id_requested_at ON consenthub.monitoring_reports USING btree (region_id, requested_at);
CREATE INDEX ix_online_submissions_form_version_id ON consenthub.online_submissions USING btree (form_version_id);
CREATE INDEX ix_online_submissions_pupil_id ON consenthub.online_submissions USING btree (pupil_id);
CREATE UNIQUE INDEX ix_online_submissions_receipt_number ON consenthub.online_submissions USING btree (receipt_number);
CREATE UNIQUE INDEX ix_online_submissions_signature_request_id ON consenthub.online_submissions USING btree (signature_request_id) WHERE (signature_request_id IS NOT NULL);
CREATE INDEX ix_online_submissions_signer_link_id_submitted_at ON consenthub.online_submissions USING btree (signer_link_id, submitted_at);
CREATE INDEX ix_outbox_attachments_outbox_message_id ON consenthub.outbox_attachments USING btree (outbox_message_id);
CREATE UNIQUE INDEX ix_outbox_messages_business_key ON consenthub.outbox_messages USING btree (business_key);
CREATE UNIQUE INDEX ix_outbox_messages_message_id ON consenthub.outbox_messages USING btree (message_id);
CREATE INDEX ix_outbox_messages_signature_request_id ON consenthub.outbox_messages USING btree (signature_request_id) WHERE (signature_request_id IS NOT NULL);
CREATE INDEX ix_outbox_messages_status_next_attempt_at ON consenthub.outbox_messages USING btree (status, next_attempt_at);
CREATE INDEX ix_paper_scans_pupil_id ON consenthub.paper_scans USING btree (pupil_id);
CREATE UNIQUE INDEX ix_photo_batch_items_photo_id ON consenthub.photo_batch_items USING btree (photo_id);
CREATE INDEX ix_photo_batches_academy_id_created_at ON consenthub.photo_batches USING btree (academy_id, created_at);
CREATE UNIQUE INDEX ix_photo_devices_make_model_serial ON consenthub.photo_devices USING btree (make, model, serial) WHERE ((removed_at IS NULL) AND (serial IS NOT NULL));
CREATE INDEX ix_photo_exports_account_id ON consenthub.photo_exports USING btree (account_id);
CREATE INDEX ix_photo_exports_photo_id ON consenthub.photo_exports USING btree (photo_id);
CREATE INDEX ix_photo_exports_purpose_id ON consenthub.photo_exports USING btree (purpose_id);
CREATE INDEX ix_photo_faces_photo_id ON consenthub.photo_faces USING btree (photo_id);
CREATE INDEX ix_photo_faces_pupil_id ON consenthub.photo_faces USING btree (pupil_id) WHERE (pupil_id IS NOT NULL);
CREATE INDEX ix_photo_originals_academy_id ON consenthub.photo_originals USING btree (academy_id);
CREATE INDEX ix_photo_post_images_export_id ON consenthub.photo_post_images USING btree (export_id);
CREATE INDEX ix_photo_post_pupils_pupil_id ON consenthub.photo_post_pupils USING btree (pupil_id);
CREATE INDEX ix_photo_posts_academy_id_posted_on ON consenthub.photo_posts USING btree (academy_id, posted_on);
CREATE INDEX ix_photo_posts_account_id ON consenthub.photo_posts USING btree (account_id);
CREATE INDEX ix_photos_academy_id_uploaded_at ON consenthub.photos USING btree (academy_id, uploaded_at);
CREATE INDEX ix_photos_uploaded_at ON consenthub.photos USING btree (uploaded_at) WHERE (published_at IS NULL);
CREATE INDEX ix_posting_pauses_scope_scope_id_from ON consenthub.posting_pauses USING btree (scope, scope_id, "from");
CREATE INDEX ix_pupil_consent_facts_academy_id_changed_at_pupil_id ON consenthub.pupil_consent_facts USING btree (academy_id, changed_at, pupil_id);
CREATE INDEX ix_pupil_contacts_contact_id ON consenthub.pupil_contacts USING btree (contact_id);
CREATE UNIQUE INDEX ix_pupils_academy_id_mis_id ON consenthub.pupils USING btree (academy_id, mis_id);
CREATE INDEX ix_pupils_academy_id_registration_group ON consenthub.pupils USING btree (academy_id, registration_group);
CREATE INDEX ix_pupils_academy_id_year_group ON consenthub.pupils USING btree (academy_id, year_group);
CREATE INDEX ix_pupils_search_text ON consenthub.pupils USING gin (search_text consenthub.gin_trgm_ops);
CREATE UNIQUE INDEX ix_purposes_key ON consenthub.purposes USING btree (key);
CREATE UNIQUE INDEX ix_regions_trust_id_name ON consenthub.regions USING btree (trust_id, name);
CREATE INDEX ix_renewal_asks_pupil_id ON consenthub.renewal_asks USING btree (pupil_id);
CREATE INDEX ix_request_issues_academy_id_issued_at ON consenthub.request_issues USING btree (academy_id, issued_at);
CREATE INDEX ix_request_issues_form_version_id ON consenthub.request_issues USING btree (form_version_id);
CREATE INDEX ix_retention_runs_ran_at ON consenthub.retention_runs USING btree (ran_at);
CREATE INDEX ix_rollover_reports_academy_id_ran_at ON consenthub.rollover_reports USING btree (academy_id, ran_at);
CREATE INDEX ix_rollover_reports_issue_id ON consenthub.rollover_reports USING btree (issue_id);
CREATE UNIQUE INDEX ix_safeguarding_flags_pupil_id ON consenthub.safeguarding_flags USING btree (pupil_id) WHERE (cleared_at IS NULL);
CREATE INDEX ix_signature_requests_academy_id_issued_at ON consenthub.signature_requests USING btree (academy_id, issued_at);
CREATE INDEX ix_signature_requests_academy_id_status_issued_at ON consenthub.signature_requests USING btree (academy_id, status, issued_at);
CREATE INDEX ix_signature_requests_form_version_id ON consenthub.signature_requests USING btree (form_version_id);
CREATE INDEX ix_signature_requests_issue_id ON consenthub.signature_requests USING btree (issue_id);
CREATE INDEX ix_signature_requests_pupil_id_status ON consenthub.signature_requests USING btree (pupil_id, status);
CREATE UNIQUE INDEX ix_signature_requests_short_code ON consenthub.signature_requests USING btree (short_code);
CREATE UNIQUE INDEX ix_signature_requests_token_hash ON consenthub.signature_requests USING btree (token_hash);
CREATE INDEX ix_signer_links_contact_id ON consenthub.signer_links USING btree (contact_id);
CREATE INDEX ix_signer_links_pupil_id_contact_id ON consenthub.signer_links USING btree (pupil_id, contact_id);
CREATE UNIQUE INDEX ix_signer_links_token_hash ON consenthub.signer_links USING btree (token_hash);
CREATE INDEX ix_staff_role_assignments_academy_id ON consenthub.staff_role_assignments USING btree (academy_id);
CREATE INDEX ix_staff_role_assignments_region_id ON consenthub.staff_role_assignments USING btree (region_id);
CREATE UNIQUE INDEX ix_staff_role_assignments_user_id_role_academy_id_region_id ON consenthub.staff_role_assignments USING btree (user_id, role, academy_id, region_id) NULLS NOT DISTINCT;
CREATE INDEX ix_staff_sessions_user_id ON consenthub.staff_sessions USING btree (user_id);
CREATE INDEX ix_staff_user_claims_user_id ON consenthub.staff_user_claims USING btree (user_id);
CREATE INDEX ix_staff_user_logins_user_id ON consenthub.staff_user_logins USING btree (user_id);
CREATE INDEX ix_staff_users_normalized_email ON consenthub.staff_users USING btree (normalized_email);
CREATE UNIQUE INDEX ix_staff_users_normalized_user_name ON consenthub.staff_users USING btree (normalized_user_name);
CREATE INDEX ix_takedown_tasks_academy_id_created_at ON consenthub.takedown_tasks USING btree (academy_id, created_at);
CREATE INDEX ix_takedown_tasks_academy_id_done_at ON consenthub.takedown_tasks USING btree (academy_id, done_at);
CREATE UNIQUE INDEX ix_takedown_tasks_account_id_pupil_id_purpose_id ON consenthub.takedown_tasks USING btree (account_id, pupil_id, purpose_id) WHERE ((done_at IS NULL) AND (post_id IS NULL));
CREATE INDEX ix_takedown_tasks_open_created_at ON consenthub.takedown_tasks USING btree (created_at) WHERE (done_at IS NULL);
CREATE UNIQUE INDEX ix_takedown_tasks_post_id_pupil_id ON consenthub.takedown_tasks USING btree (post_id, pupil_id) WHERE (post_id IS NOT NULL);
CREATE INDEX ix_takedown_tasks_pupil_id ON consenthub.takedown_tasks USING btree (pupil_id);
CREATE INDEX ix_takedown_tasks_purpose_id ON consenthub.takedown_tasks USING btree (purpose_id);
CREATE UNIQUE INDEX ix_translation_reviews_form_version_id_language ON consenthub.translation_reviews USING btree (form_version_id, language);
CREATE UNIQUE INDEX ux_signature_requests_open_party ON consenthub.signature_requests USING btree (pupil_id, party_kind, contact_id) NULLS NOT DISTINCT WHERE ((status)::text = 'Open'::text);
CREATE TRIGGER audit_entries_append_only BEFORE DELETE OR UPDATE ON consenthub.audit_entries FOR EACH ROW EXECUTE FUNCTION consenthub.reject_change();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON consenthub.audit_entries FOR EACH STATEMENT EXECUTE FUNCTION consenthub.reject_change();
CREATE TRIGGER consent_answers_append_only BEFORE DELETE OR UPDATE ON consenthub.consent_answers FOR EACH ROW EXECUTE FUNCTION consenthub.reject_change();
CREATE TRIGGER consent_answers_facts_insert AFTER INSERT ON consenthub.consent_answers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER consent_answers_no_truncate BEFORE TRUNCATE ON consenthub.consent_answers FOR EACH STATEMENT EXECUTE FUNCTION consenthub.reject_change();
CREATE TRIGGER consent_answers_project AFTER INSERT ON consenthub.consent_answers FOR EACH ROW EXECUTE FUNCTION consenthub.project_current_answer();
CREATE TRIGGER contacts_facts_update AFTER UPDATE ON consenthub.contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER current_answers_facts_delete AFTER DELETE ON consenthub.current_answers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER form_versions_facts_update AFTER UPDATE ON consenthub.form_versions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER form_versions_frozen_when_published BEFORE DELETE OR UPDATE ON consenthub.form_versions FOR EACH ROW EXECUTE FUNCTION consenthub.reject_published_version_change();
CREATE TRIGGER form_wordings_frozen_when_published BEFORE INSERT OR DELETE OR UPDATE ON consenthub.form_wordings FOR EACH ROW EXECUTE FUNCTION consenthub.reject_published_wording_change();
CREATE TRIGGER posting_pauses_notify AFTER INSERT OR DELETE OR UPDATE ON consenthub.posting_pauses FOR EACH STATEMENT EXECUTE FUNCTION consenthub.notify_posting_pauses_changed();
CREATE TRIGGER pupil_consent_facts_notify_insert AFTER INSERT ON consenthub.pupil_consent_facts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.notify_consent_facts_changed();
CREATE TRIGGER pupil_consent_facts_notify_update AFTER UPDATE ON consenthub.pupil_consent_facts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.notify_consent_facts_changed();
CREATE TRIGGER pupil_contacts_facts_delete AFTER DELETE ON consenthub.pupil_contacts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER pupil_contacts_facts_insert AFTER INSERT ON consenthub.pupil_contacts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER pupil_contacts_facts_update AFTER UPDATE ON consenthub.pupil_contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER pupils_facts_insert AFTER INSERT ON consenthub.pupils REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER pupils_facts_update AFTER UPDATE ON consenthub.pupils REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER safeguarding_flags_facts_delete AFTER DELETE ON consenthub.safeguarding_flags REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER safeguarding_flags_facts_insert AFTER INSERT ON consenthub.safeguarding_flags REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER safeguarding_flags_facts_update AFTER UPDATE ON consenthub.safeguarding_flags REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER signature_requests_facts_delete AFTER DELETE ON consenthub.signature_requests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER signature_requests_facts_insert AFTER INSERT ON consenthub.signature_requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
CREATE TRIGGER signature_requests_facts_update AFTER UPDATE ON consenthub.signature_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION consenthub.refresh_consent_facts_trigger();
ALTER TABLE ONLY consenthub.consent_answer_date_corrections
    ADD CONSTRAINT consent_answer_date_corrections_answer_id_fkey FOREIGN KEY (answer_id) REFERENCES consenthub.consent_answers(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.academies
    ADD CONSTRAINT fk_academies_regions_region_id FOREIGN KEY (region_id) REFERENCES consenthub.regions(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.academy_logos
    ADD CONSTRAINT fk_academy_logos_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.answer_idempotency_keys
    ADD CONSTRAINT fk_answer_idempotency_keys_consent_answers_answer_id FOREIGN KEY (answer_id) REFERENCES consenthub.consent_answers(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.board_meetings
    ADD CONSTRAINT fk_board_meetings_regions_region_id FOREIGN KEY (region_id) REFERENCES consenthub.regions(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT fk_consent_answers_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT fk_consent_answers_contacts_contact_id FOREIGN KEY (contact_id) REFERENCES consenthub.contacts(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT fk_consent_answers_form_versions_form_version_id FOREIGN KEY (form_version_id) REFERENCES consenthub.form_versions(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT fk_consent_answers_online_submissions_online_submission_id FOREIGN KEY (online_submission_id) REFERENCES consenthub.online_submissions(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT fk_consent_answers_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT fk_consent_answers_purposes_purpose_id FOREIGN KEY (purpose_id) REFERENCES consenthub.purposes(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.consent_answers
    ADD CONSTRAINT fk_consent_answers_signature_requests_signature_request_id FOREIGN KEY (signature_request_id) REFERENCES consenthub.signature_requests(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.coverage_snapshots
    ADD CONSTRAINT fk_coverage_snapshots_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.coverage_snapshots
    ADD CONSTRAINT fk_coverage_snapshots_purposes_purpose_id FOREIGN KEY (purpose_id) REFERENCES consenthub.purposes(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.current_answers
    ADD CONSTRAINT fk_current_answers_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.follow_up_actions
    ADD CONSTRAINT fk_follow_up_actions_follow_ups_follow_up_id FOREIGN KEY (follow_up_id) REFERENCES consenthub.follow_ups(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.follow_ups
    ADD CONSTRAINT fk_follow_ups_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.follow_ups
    ADD CONSTRAINT fk_follow_ups_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.follow_ups
    ADD CONSTRAINT fk_follow_ups_signature_requests_signature_request_id FOREIGN KEY (signature_request_id) REFERENCES consenthub.signature_requests(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.form_packs
    ADD CONSTRAINT fk_form_packs_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.form_wordings
    ADD CONSTRAINT fk_form_wordings_form_versions_form_version_id FOREIGN KEY (form_version_id) REFERENCES consenthub.form_versions(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.form_wordings
    ADD CONSTRAINT fk_form_wordings_purposes_purpose_id FOREIGN KEY (purpose_id) REFERENCES consenthub.purposes(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.monitoring_reports
    ADD CONSTRAINT fk_monitoring_reports_regions_region_id FOREIGN KEY (region_id) REFERENCES consenthub.regions(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.online_submissions
    ADD CONSTRAINT fk_online_submissions_form_versions_form_version_id FOREIGN KEY (form_version_id) REFERENCES consenthub.form_versions(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.online_submissions
    ADD CONSTRAINT fk_online_submissions_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.online_submissions
    ADD CONSTRAINT fk_online_submissions_signature_requests_signature_request_id FOREIGN KEY (signature_request_id) REFERENCES consenthub.signature_requests(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.online_submissions
    ADD CONSTRAINT fk_online_submissions_signer_links_signer_link_id FOREIGN KEY (signer_link_id) REFERENCES consenthub.signer_links(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.outbox_attachments
    ADD CONSTRAINT fk_outbox_attachments_outbox_messages_outbox_message_id FOREIGN KEY (outbox_message_id) REFERENCES consenthub.outbox_messages(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.paper_scans
    ADD CONSTRAINT fk_paper_scans_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_batch_items
    ADD CONSTRAINT fk_photo_batch_items_photo_batches_batch_id FOREIGN KEY (batch_id) REFERENCES consenthub.photo_batches(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_batches
    ADD CONSTRAINT fk_photo_batches_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_exports
    ADD CONSTRAINT fk_photo_exports_affiliated_accounts_account_id FOREIGN KEY (account_id) REFERENCES consenthub.affiliated_accounts(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.photo_exports
    ADD CONSTRAINT fk_photo_exports_photos_photo_id FOREIGN KEY (photo_id) REFERENCES consenthub.photos(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_exports
    ADD CONSTRAINT fk_photo_exports_purposes_purpose_id FOREIGN KEY (purpose_id) REFERENCES consenthub.purposes(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.photo_faces
    ADD CONSTRAINT fk_photo_faces_photos_photo_id FOREIGN KEY (photo_id) REFERENCES consenthub.photos(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_faces
    ADD CONSTRAINT fk_photo_faces_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE SET NULL;
ALTER TABLE ONLY consenthub.photo_post_images
    ADD CONSTRAINT fk_photo_post_images_photo_exports_export_id FOREIGN KEY (export_id) REFERENCES consenthub.photo_exports(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.photo_post_images
    ADD CONSTRAINT fk_photo_post_images_photo_posts_post_id FOREIGN KEY (post_id) REFERENCES consenthub.photo_posts(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_post_pupils
    ADD CONSTRAINT fk_photo_post_pupils_photo_posts_post_id FOREIGN KEY (post_id) REFERENCES consenthub.photo_posts(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_post_pupils
    ADD CONSTRAINT fk_photo_post_pupils_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_posts
    ADD CONSTRAINT fk_photo_posts_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.photo_posts
    ADD CONSTRAINT fk_photo_posts_affiliated_accounts_account_id FOREIGN KEY (account_id) REFERENCES consenthub.affiliated_accounts(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.photos
    ADD CONSTRAINT fk_photos_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.pupil_consent_facts
    ADD CONSTRAINT fk_pupil_consent_facts_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.pupil_contacts
    ADD CONSTRAINT fk_pupil_contacts_contacts_contact_id FOREIGN KEY (contact_id) REFERENCES consenthub.contacts(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.pupil_contacts
    ADD CONSTRAINT fk_pupil_contacts_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.pupils
    ADD CONSTRAINT fk_pupils_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.regions
    ADD CONSTRAINT fk_regions_trusts_trust_id FOREIGN KEY (trust_id) REFERENCES consenthub.trusts(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.renewal_asks
    ADD CONSTRAINT fk_renewal_asks_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.request_issues
    ADD CONSTRAINT fk_request_issues_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.request_issues
    ADD CONSTRAINT fk_request_issues_form_versions_form_version_id FOREIGN KEY (form_version_id) REFERENCES consenthub.form_versions(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.rollover_reports
    ADD CONSTRAINT fk_rollover_reports_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.rollover_reports
    ADD CONSTRAINT fk_rollover_reports_request_issues_issue_id FOREIGN KEY (issue_id) REFERENCES consenthub.request_issues(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.safeguarding_flags
    ADD CONSTRAINT fk_safeguarding_flags_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.signature_requests
    ADD CONSTRAINT fk_signature_requests_form_versions_form_version_id FOREIGN KEY (form_version_id) REFERENCES consenthub.form_versions(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.signature_requests
    ADD CONSTRAINT fk_signature_requests_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.signature_requests
    ADD CONSTRAINT fk_signature_requests_request_issues_issue_id FOREIGN KEY (issue_id) REFERENCES consenthub.request_issues(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.signer_links
    ADD CONSTRAINT fk_signer_links_contacts_contact_id FOREIGN KEY (contact_id) REFERENCES consenthub.contacts(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.signer_links
    ADD CONSTRAINT fk_signer_links_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.staff_role_assignments
    ADD CONSTRAINT fk_staff_role_assignments_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.staff_role_assignments
    ADD CONSTRAINT fk_staff_role_assignments_regions_region_id FOREIGN KEY (region_id) REFERENCES consenthub.regions(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.staff_role_assignments
    ADD CONSTRAINT fk_staff_role_assignments_staff_users_user_id FOREIGN KEY (user_id) REFERENCES consenthub.staff_users(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.staff_sessions
    ADD CONSTRAINT fk_staff_sessions_staff_users_user_id FOREIGN KEY (user_id) REFERENCES consenthub.staff_users(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.staff_user_claims
    ADD CONSTRAINT fk_staff_user_claims_staff_users_user_id FOREIGN KEY (user_id) REFERENCES consenthub.staff_users(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.staff_user_logins
    ADD CONSTRAINT fk_staff_user_logins_staff_users_user_id FOREIGN KEY (user_id) REFERENCES consenthub.staff_users(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.staff_user_tokens
    ADD CONSTRAINT fk_staff_user_tokens_staff_users_user_id FOREIGN KEY (user_id) REFERENCES consenthub.staff_users(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.takedown_tasks
    ADD CONSTRAINT fk_takedown_tasks_academies_academy_id FOREIGN KEY (academy_id) REFERENCES consenthub.academies(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.takedown_tasks
    ADD CONSTRAINT fk_takedown_tasks_affiliated_accounts_account_id FOREIGN KEY (account_id) REFERENCES consenthub.affiliated_accounts(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.takedown_tasks
    ADD CONSTRAINT fk_takedown_tasks_photo_posts_post_id FOREIGN KEY (post_id) REFERENCES consenthub.photo_posts(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.takedown_tasks
    ADD CONSTRAINT fk_takedown_tasks_pupils_pupil_id FOREIGN KEY (pupil_id) REFERENCES consenthub.pupils(id) ON DELETE CASCADE;
ALTER TABLE ONLY consenthub.takedown_tasks
    ADD CONSTRAINT fk_takedown_tasks_purposes_purpose_id FOREIGN KEY (purpose_id) REFERENCES consenthub.purposes(id) ON DELETE RESTRICT;
ALTER TABLE ONLY consenthub.translation_reviews
    ADD CONSTRAINT fk_translation_reviews_form_versions_form_version_id FOREIGN KEY (form_version_id) REFERENCES consenthub.form_versions(id) ON DELETE CASCADE;
