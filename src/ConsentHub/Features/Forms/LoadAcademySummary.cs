using ConsentHub.Access;
using ConsentHub.Audit;
using ConsentHub.Checks;
using ConsentHub.Consent;
using ConsentHub.Text;
using Npgsql;

namespace ConsentHub.Forms;

/// <summary>
/// The headteacher's summary of one academy: the overview's counts (<see cref="CountConsentByAcademy"/>, so the
/// printout and the page always agree) and the pupils whose open requests are still unanswered, with who is awaited
/// by role. Null when the academy is outside the caller's scope. Audited as a print.
/// </summary>
public sealed class LoadAcademySummary(NpgsqlDataSource dataSource, CountConsentByAcademy counts, IAuditLog audit, TimeProvider clock)
{
    public async Task<AcademySummary?> HandleAsync(AccessScope scope, Guid academyId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var academies = await counts.HandleAsync(scope, academyId, ct);
        if (academies.Count == 0) return null;
        var academy = academies[0];
        var now = clock.GetUtcNow();

        var outstanding = new List<OutstandingPupil>();
        var openRequests = 0;
        await using (var cmd = dataSource.CreateCommand($"""
            SELECT p.id,
                   p.display_name,
                   p.year_group, p.registration_group, r.party_kind, pc.relationship
            FROM consenthub.signature_requests r
            JOIN consenthub.pupils p ON p.id = r.pupil_id
            LEFT JOIN consenthub.pupil_contacts pc ON pc.pupil_id = r.pupil_id AND pc.contact_id = r.contact_id
            WHERE r.academy_id = @academy_id AND r.status = 'Open' AND r.expires_at > @now AND p.left_on IS NULL
              AND {AccessScope.Condition("r.academy_id")}
            ORDER BY p.year_group, p.registration_group, p.display_last_name {NameOrder.Sql}, p.display_name {NameOrder.Sql}, p.id,
                     r.party_kind DESC, pc.relationship
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
            cmd.Parameters.AddScope(scope);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            Guid? current = null;
            List<string> awaited = [];
            while (await reader.ReadAsync(ct))
            {
                openRequests++;
                var pupilId = reader.GetGuid(0);
                if (pupilId != current)
                {
                    current = pupilId;
                    awaited = [];
                    outstanding.Add(new OutstandingPupil(reader.GetString(1), new YearGroup(reader.GetInt32(2)).DisplayName,
                        reader.IsDBNull(3) ? null : reader.GetString(3), awaited));
                }
                var who = reader.GetString(4) == nameof(PartyKind.Pupil) ? "Pupil"
                    : reader.IsDBNull(5) || string.IsNullOrWhiteSpace(reader.GetString(5)) ? "Parent or carer" : reader.GetString(5).Trim();
                if (!awaited.Contains(who, StringComparer.Ordinal)) awaited.Add(who);
            }
        }

        var summary = new AcademySummary(academy.AcademyName, now, academy.Pupils,
            [.. academy.Purposes.Select(p => new SummaryPurpose(p.PurposeName, p.Counts))], openRequests, outstanding)
        {
            AcademyLogo = await LogoAsync(academyId, ct),
        };
        audit.RecordRead(new AuditEvent(academyId, scope.Actor, "forms.academy-summary-printed", "Academy", academyId.ToString(),
            Data: new Dictionary<string, object?> { ["pupils"] = academy.Pupils, ["outstandingPupils"] = outstanding.Count, ["openRequests"] = openRequests }));
        return summary;
    }

    private async Task<byte[]?> LogoAsync(Guid academyId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT content FROM consenthub.academy_logos WHERE academy_id = @academy_id");
        cmd.Parameters.Add(new NpgsqlParameter<Guid>("academy_id", academyId));
        return await cmd.ExecuteScalarAsync(ct) as byte[];
    }
}
