using ConsentHub.Audit;
using ConsentHub.Consent;
using ConsentHub.Data;
using ConsentHub.Pupils;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ConsentHub.Signing;

/// <param name="Text">The form version's wording for this audience, in <paramref name="TextLanguage"/>.</param>
/// <param name="Current">The party's current answer (a change link shows it prefilled); null when none.</param>
public sealed record SigningFormPurpose(Guid PurposeId, string Key, string Name, string Text, string TextLanguage, AnswerKind? Current,
    LawfulBasis Basis = LawfulBasis.Consent);

public sealed record SigningForm(
    SigningTarget Target,
    string PupilFirstName,
    Guid FormVersionId,
    string FormVersionLabel,
    IReadOnlyList<SigningFormPurpose> Purposes)
{
    /// <summary>Whether a purpose is currently a yes (prefill of the change page).</summary>
    public static bool? IsYes(AnswerKind? kind) => kind switch
    {
        AnswerKind.Grant => true,
        AnswerKind.Refuse or AnswerKind.Withdraw => false,
        _ => null,
    };
}

/// <summary>
/// The form a confirmed signer answers: per purpose the wording of the form version for their audience (parent or
/// pupil) in their language (English where that version has no translation), and their current answers. A
/// request uses the version it was issued with; a change link the newest published one. Audited as a view.
/// </summary>
public sealed class LoadSigningForm(IDbContextFactory<ConsentHubDbContext> factory, IAuditLog audit)
{
    public async Task<SigningForm?> HandleAsync(SigningTarget target, string language, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var form = await LoadAsync(db, target, language, ct);
        if (form is not null)
        {
            audit.RecordRead(new AuditEvent(target.AcademyId, target.Actor, "signing.form-viewed",
                target.Kind == SigningTargetKind.Request ? "SignatureRequest" : "SignerLink", target.Id.ToString(), target.PupilId,
                new Dictionary<string, object?> { ["formVersion"] = form.FormVersionLabel, ["language"] = language }));
        }
        return form;
    }

    // One round trip: the form version, its wording for the audience with each purpose, the party's current answers
    // and (only when the target did not bring them) the pupil's names. A request uses the version it was issued with;
    // a change link the newest published one.
    private const string VersionByIdSql = "SELECT v.id, v.label FROM consenthub.form_versions v WHERE v.id = @version";

    private const string NewestVersionSql = """
        SELECT v.id, v.label FROM consenthub.form_versions v WHERE v.published_at IS NOT NULL ORDER BY v.published_at DESC LIMIT 1
        """;

    private const string WordingsSql = """
        SELECT p.id, p.key, p.name, p.sort_order, p.lawful_basis, w.language, w.text
        FROM consenthub.form_wordings w
        JOIN consenthub.purposes p ON p.id = w.purpose_id
        WHERE w.form_version_id = ({version}) AND w.audience = @audience AND p.active
        """;

    private static readonly string WordingsByIdSql = WordingsSql.Replace("{version}", "SELECT v.id FROM consenthub.form_versions v WHERE v.id = @version",
        StringComparison.Ordinal);

    private static readonly string WordingsNewestSql = WordingsSql.Replace("{version}",
        NewestVersionSql.Replace("v.id, v.label", "v.id", StringComparison.Ordinal), StringComparison.Ordinal);

    private const string CurrentSql = """
        SELECT c.purpose_id, c.kind FROM consenthub.current_answers c
        WHERE c.pupil_id = @pupil AND c.party_kind = @party AND c.party_id = @party_id
        """;

    private const string PupilSql = """
        SELECT p.legal_first_name, p.preferred_first_name FROM consenthub.pupils p WHERE p.id = @pupil
        """;

    internal static async Task<SigningForm?> LoadAsync(ConsentHubDbContext db, SigningTarget target, string language, CancellationToken ct)
    {
        var versionSql = target.RequestFormVersionId is null ? NewestVersionSql : VersionByIdSql;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var batch = new NpgsqlBatch(connection, db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction);
            batch.BatchCommands.Add(Command(versionSql, target));
            batch.BatchCommands.Add(Command(target.RequestFormVersionId is null ? WordingsNewestSql : WordingsByIdSql, target));
            batch.BatchCommands.Add(Command(CurrentSql, target));
            if (target.People is null) batch.BatchCommands.Add(Command(PupilSql, target));

            await using var reader = await batch.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            var (versionId, versionLabel) = (reader.GetGuid(0), reader.GetString(1));

            await reader.NextResultAsync(ct);
            var rows = new List<(Guid Id, string Key, string Name, int SortOrder, LawfulBasis Basis, string Language, string Text)>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    Enum.Parse<LawfulBasis>(reader.GetString(4)), reader.GetString(5), reader.GetString(6)));
            }

            await reader.NextResultAsync(ct);
            var current = new Dictionary<Guid, AnswerKind>();
            while (await reader.ReadAsync(ct)) current[reader.GetGuid(0)] = Enum.Parse<AnswerKind>(reader.GetString(1));

            string firstName;
            if (target.People is { } people)
            {
                firstName = people.PupilFirstName;
            }
            else
            {
                await reader.NextResultAsync(ct);
                if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("The target's pupil does not exist.");
                firstName = Pupil.NameUsed(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
            }

            var purposes = rows
                .GroupBy(r => r.Id)
                .Select(g =>
                {
                    var wordings = g.ToList();
                    var w = wordings.Find(r => r.Language == language);
                    if (w.Text is null) w = wordings.Find(r => r.Language == SigningLanguage.English);
                    if (w.Text is null) w = wordings[0];
                    return (w.SortOrder, Purpose: new SigningFormPurpose(w.Id, w.Key, w.Name, w.Text, w.Language,
                        current.TryGetValue(w.Id, out var kind) ? kind : null, w.Basis));
                })
                .OrderBy(x => x.SortOrder).ThenBy(x => x.Purpose.Key, StringComparer.Ordinal)
                .Select(x => x.Purpose)
                .ToList();
            if (purposes.Count == 0) return null;
            return new SigningForm(target, string.IsNullOrWhiteSpace(firstName) ? "" : firstName, versionId, versionLabel, purposes);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static NpgsqlBatchCommand Command(string sql, SigningTarget target)
    {
        var command = new NpgsqlBatchCommand(sql);
        var p = command.Parameters;
        if (sql.Contains("@version", StringComparison.Ordinal)) p.Add(new NpgsqlParameter<Guid>("version", target.RequestFormVersionId!.Value));
        if (sql.Contains("@audience", StringComparison.Ordinal)) p.Add(new NpgsqlParameter<string>("audience", target.Audience.ToString()));
        if (sql.Contains("@pupil", StringComparison.Ordinal)) p.Add(new NpgsqlParameter<Guid>("pupil", target.PupilId));
        if (sql.Contains("@party", StringComparison.Ordinal))
        {
            p.Add(new NpgsqlParameter<string>("party", target.PartyKind.ToString()));
            p.Add(new NpgsqlParameter<Guid>("party_id", target.ContactId ?? Guid.Empty));
        }
        return command;
    }
}
