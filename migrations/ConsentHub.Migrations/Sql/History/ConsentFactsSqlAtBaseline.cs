namespace ConsentHub.Migrations.Sql.History;

/// <summary>
/// A definition frozen as an earlier migration ran it, for that migration (and the Down of the one that replaced it)
/// only: it cannot be the current one because it predates columns the current one reads. The current definition
/// lives in <see cref="ConsentFactsSql.FactsOf"/>; Sql/History is not scanned by the one-definition rule.
/// </summary>
internal static class ConsentFactsSqlAtBaseline
{
    /// <summary>The facts function of the Baseline: the name from <c>coalesce</c>, so a blank preferred name stayed blank.</summary>
    public const string FactsOf = """
        -- What the facts of these pupils are now. Layout version 1; ConsentFactsDocument reads it.
        CREATE OR REPLACE FUNCTION consenthub.pupil_consent_facts_of(pupil_ids uuid[])
        RETURNS TABLE (pupil_id uuid, academy_id uuid, facts json) LANGUAGE sql STABLE AS $$
            SELECT p.id, p.academy_id, json_build_object(
                'v', 1,
                'name', coalesce(p.preferred_first_name, p.legal_first_name) || ' ' || coalesce(p.preferred_last_name, p.legal_last_name),
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
}
