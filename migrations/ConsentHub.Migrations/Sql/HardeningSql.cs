namespace ConsentHub.Migrations.Sql;

/// <summary>
/// What the outside security test found, fixed where the data lives: no answer with an impossible date (the rows
/// already stored are corrected, with a record of each correction, before the constraint goes on), and no signing
/// or set-password link resting in clear in mail already sent.
/// </summary>
internal static class HardeningSql
{
    /// <summary>
    /// Answers are append-only (a trigger rejects UPDATE), so the correction is the one sanctioned exception: the
    /// trigger is switched off inside this migration's transaction only, each impossible time becomes the time the
    /// answer was recorded (the best evidence of when it was given), the original value is kept in
    /// consent_answer_date_corrections, and the current answers and check read model of the pupils concerned are
    /// rebuilt. The audit chain is not touched, so it still verifies; its entries keep the time as it was sent.
    /// </summary>
    public const string Up = """
        CREATE TABLE consenthub.consent_answer_date_corrections (
            answer_id bigint PRIMARY KEY REFERENCES consenthub.consent_answers (id) ON DELETE CASCADE,
            original_at text NOT NULL,
            original_recorded_at text NOT NULL,
            corrected_at timestamptz NOT NULL,
            corrected_on timestamptz NOT NULL DEFAULT now(),
            reason text NOT NULL
        );
        COMMENT ON TABLE consenthub.consent_answer_date_corrections IS
            'Answers whose stored time was impossible (before 2000, or after they were recorded) and were set to the time they were recorded when ck_consent_answers_dates was added.';

        ALTER TABLE consenthub.consent_answers DISABLE TRIGGER consent_answers_append_only;

        WITH bad AS (
            SELECT id, at, recorded_at,
                   CASE WHEN recorded_at >= '2000-01-01 00:00:00+00' AND recorded_at <= now() THEN recorded_at ELSE now() END AS fixed
            FROM consenthub.consent_answers
            WHERE NOT (at >= '2000-01-01 00:00:00+00' AND recorded_at >= '2000-01-01 00:00:00+00' AND recorded_at < 'infinity'
                       AND at <= recorded_at + interval '5 minutes')
        ), corrected AS (
            UPDATE consenthub.consent_answers a SET at = bad.fixed, recorded_at = bad.fixed
            FROM bad WHERE a.id = bad.id
            RETURNING a.id, bad.at AS original_at, bad.recorded_at AS original_recorded_at, bad.fixed
        )
        INSERT INTO consenthub.consent_answer_date_corrections (answer_id, original_at, original_recorded_at, corrected_at, reason)
        SELECT id, original_at::text, original_recorded_at::text, fixed,
               'The answer''s time was impossible; set to the time it was recorded.'
        FROM corrected;

        ALTER TABLE consenthub.consent_answers ENABLE TRIGGER consent_answers_append_only;

        -- A corrected answer may now be a party's latest (or no longer be): rebuild those parties' current answers.
        WITH affected AS (
            SELECT DISTINCT a.pupil_id, a.purpose_id, coalesce(a.contact_id, '00000000-0000-0000-0000-000000000000'::uuid) AS party_id
            FROM consenthub.consent_answers a JOIN consenthub.consent_answer_date_corrections c ON c.answer_id = a.id
        ), latest AS (
            SELECT DISTINCT ON (f.pupil_id, f.purpose_id, f.party_id) f.pupil_id, f.purpose_id, f.party_id,
                   a.id, a.kind, a.at, a.form_version_id, a.party_kind
            FROM affected f JOIN consenthub.consent_answers a
              ON a.pupil_id = f.pupil_id AND a.purpose_id = f.purpose_id
             AND coalesce(a.contact_id, '00000000-0000-0000-0000-000000000000'::uuid) = f.party_id
            ORDER BY f.pupil_id, f.purpose_id, f.party_id, a.at DESC, a.id DESC
        )
        UPDATE consenthub.current_answers c
        SET answer_id = l.id, kind = l.kind, at = l.at, form_version_id = l.form_version_id, party_kind = l.party_kind
        FROM latest l
        WHERE c.pupil_id = l.pupil_id AND c.purpose_id = l.purpose_id AND c.party_id = l.party_id;

        SELECT consenthub.refresh_pupil_consent_facts(ARRAY(
            SELECT DISTINCT a.pupil_id FROM consenthub.consent_answers a
            JOIN consenthub.consent_answer_date_corrections c ON c.answer_id = a.id));

        -- From now on no path can store one. CASE keeps the order of evaluation, so an infinite time is refused by the
        -- bounds instead of failing the subtraction; every part is immutable (no now()).
        ALTER TABLE consenthub.consent_answers ADD CONSTRAINT ck_consent_answers_dates CHECK (
            CASE WHEN at >= '2000-01-01 00:00:00+00' AND at < 'infinity'
                  AND recorded_at >= '2000-01-01 00:00:00+00' AND recorded_at < 'infinity'
                 THEN at - recorded_at <= interval '5 minutes'
                 ELSE false END);

        -- Mail that has left (or never will) keeps no working link: the tokens of request, change and set-password
        -- links in stored bodies are blanked. New mail never stores them (the outbox seals them until sending).
        UPDATE consenthub.outbox_messages
        SET text_body = regexp_replace(regexp_replace(text_body,
                '(/s/|/sign/change/)[A-Za-z0-9_-]{43}', '\1[link removed]', 'g'),
                '(set-password\?)[^\s"<>]*', '\1[link removed]', 'g'),
            html_body = regexp_replace(regexp_replace(html_body,
                '(/s/|/sign/change/)[A-Za-z0-9_-]{43}', '\1[link removed]', 'g'),
                '(set-password\?)[^\s"<>]*', '\1[link removed]', 'g')
        WHERE status IN ('Sent', 'Failed', 'Cancelled');
        """;

    public const string Down = """
        ALTER TABLE consenthub.consent_answers DROP CONSTRAINT IF EXISTS ck_consent_answers_dates;
        DROP TABLE IF EXISTS consenthub.consent_answer_date_corrections;
        """;
}
