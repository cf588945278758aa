using ConsentHub.Consent;
using ConsentHub.Trust;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsentHub.Trust;

/// <summary>
/// The rows every environment needs before anyone can be asked anything: the trust, the purposes (channels of
/// use) and the first published form wording. Runs on every start; adds only what is missing and never changes
/// what is there, because staff may have edited names and descriptions since, and a published form version is
/// immutable once answered.
/// </summary>
public sealed class SeedReferenceData(NpgsqlDataSource dataSource, IOptions<TrustOptions> trustOptions)
{
    public const string FirstFormVersionLabel = "2026.1";

    /// <summary>
    /// Serialises concurrent starts (two instances behind a load balancer): the trust row has no natural key to
    /// conflict on, so "insert if none exists" is only safe while holding this transaction-scoped lock.
    /// </summary>
    private const long AdvisoryLockKey = 0x436F_6E73_656E_7401; // "Consent" + 01: reference data

    /// <summary>
    /// The wording's own publication date, the same in every environment: it is part of the text the trust
    /// adopted (for the 2026/27 forms, which go out with July induction packs), not the moment an install
    /// first started.
    /// </summary>
    public static readonly DateTimeOffset FirstFormVersionPublishedAt = new(2026, 6, 30, 23, 0, 0, TimeSpan.Zero);

    public sealed record Result(bool TrustAdded, int PurposesAdded, bool FormVersionAdded);

    public async Task<Result> HandleAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync(conn, tx, "SELECT pg_advisory_xact_lock(@key)", ct, P("key", AdvisoryLockKey));

        var trustAdded = await ExecuteAsync(conn, tx, """
            INSERT INTO consenthub.trusts (id, name, email_domains, require_every_parental_responsibility_holder,
                                           academic_year_start_month, academic_year_start_day)
            SELECT @id, @name, '{}'::text[], false, 9, 1
            WHERE NOT EXISTS (SELECT 1 FROM consenthub.trusts)
            """, ct, P("id", Guid.CreateVersion7()), P("name", TrustName())) > 0;

        var purposesAdded = 0;
        foreach (var p in Purposes)
        {
            purposesAdded += await ExecuteAsync(conn, tx, """
                INSERT INTO consenthub.purposes (id, key, name, description, lawful_basis, validity_kind, validity_months,
                                                 publishes_on_trust_accounts, sort_order, active)
                VALUES (@id, @key, @name, @description, @basis, @validity, @months, @publishes, @sort, true)
                ON CONFLICT (key) DO NOTHING
                """, ct,
                P("id", Guid.CreateVersion7()), P("key", p.Key), P("name", p.Name), P("description", p.Description),
                P("basis", p.LawfulBasis.ToString()), P("validity", p.Validity.ToString()), P("months", p.ValidityMonths),
                P("publishes", p.PublishesOnTrustAccounts), P("sort", p.SortOrder));
        }

        var formVersionAdded = await AddFirstFormVersionAsync(conn, tx, ct);
        await tx.CommitAsync(ct);
        return new Result(trustAdded, purposesAdded, formVersionAdded);
    }

    private string TrustName()
    {
        var name = trustOptions.Value.Name?.Trim();
        return string.IsNullOrEmpty(name) ? TrustOptions.DefaultName : name;
    }

    /// <summary>
    /// Wordings are written only together with their version: adding wording to a version that already exists
    /// would change a form people may have answered. A purpose added later needs a new version.
    /// </summary>
    private static async Task<bool> AddFirstFormVersionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var versionId = Guid.CreateVersion7();
        var inserted = await ExecuteAsync(conn, tx, """
            INSERT INTO consenthub.form_versions (id, label, published_at, consent_valid_through)
            VALUES (@id, @label, NULL, NULL)
            ON CONFLICT (label) DO NOTHING
            """, ct, P("id", versionId), P("label", FirstFormVersionLabel));
        if (inserted == 0) return false;

        var purposeIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("SELECT key, id FROM consenthub.purposes", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                purposeIds[reader.GetString(0)] = reader.GetGuid(1);
        }

        foreach (var p in Purposes)
        {
            foreach (var (audience, text) in new[] { (Audience.Parent, p.ParentWording), (Audience.Pupil, p.PupilWording) })
            {
                await ExecuteAsync(conn, tx, """
                    INSERT INTO consenthub.form_wordings (id, form_version_id, purpose_id, audience, language, text)
                    VALUES (@id, @version, @purpose, @audience, 'en', @text)
                    ON CONFLICT (form_version_id, purpose_id, audience, language) DO NOTHING
                    """, ct,
                    P("id", Guid.CreateVersion7()), P("version", versionId), P("purpose", purposeIds[p.Key]),
                    P("audience", audience.ToString()), P("text", text));
            }
        }
        // Published last: the database freezes a published version's wording.
        await ExecuteAsync(conn, tx, "UPDATE consenthub.form_versions SET published_at = @published WHERE id = @id", ct,
            P("published", FirstFormVersionPublishedAt), P("id", versionId));
        return true;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddRange(parameters);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter<T> P<T>(string name, T value) => new(name, value);

    /// <summary>A purpose as the trust first adopts it, with the first form version's English wording.</summary>
    public sealed record PurposeDefinition(
        string Key,
        string Name,
        string Description,
        LawfulBasis LawfulBasis,
        ValidityKind Validity,
        int ValidityMonths,
        bool PublishesOnTrustAccounts,
        int SortOrder,
        string ParentWording,
        string PupilWording)
    {
        public Purpose ToPurpose(Guid id) => new()
        {
            Id = id,
            Key = Key,
            Name = Name,
            Description = Description,
            LawfulBasis = LawfulBasis,
            ValidityKind = Validity,
            ValidityMonths = ValidityMonths,
            PublishesOnTrustAccounts = PublishesOnTrustAccounts,
            SortOrder = SortOrder,
        };
    }

    public static IReadOnlyList<PurposeDefinition> Purposes { get; } =
    [
        // Public task, not consent: displays inside the building are part of educating pupils and celebrating
        // their learning, and nobody outside the academy sees them. Asking for consent would imply a refusal
        // stops ordinary school life; instead the form offers an objection, which the rules honour (a "no"
        // here is recorded as a refusal and means not allowed). Everything that leaves the building is consent.
        new("internal-displays", "Displays inside the academy",
            "Photos of pupils' work and school life on noticeboards, classroom walls and screens inside the academy. Pupils, staff and visitors see them; they are not published outside the academy.",
            LawfulBasis.PublicTask, ValidityKind.UntilWithdrawn, 0, PublishesOnTrustAccounts: false, SortOrder: 10,
            "We display photos of pupils' work and school life on walls and screens inside the academy. Only pupils, staff and visitors to the academy see them. This is part of educating your child, so we do not need your consent, but you can object: answer \"No\" or tell the academy office and we will not display photos of your child.",
            "We put photos of pupils' work and school life on walls and screens around the academy. Only people in the academy see them. If you don't want to be in them, say no and we won't use photos of you."),

        // Until withdrawn: the academy controls its own website and can take a photo down when asked.
        new("academy-website", "Academy website",
            "Photos and short videos of your child in lessons and at events on the academy's public website. We never put a child's full name next to their photo.",
            LawfulBasis.Consent, ValidityKind.UntilWithdrawn, 0, PublishesOnTrustAccounts: true, SortOrder: 20,
            "I agree that the academy may publish photos and short videos of my child on the academy's website. The academy will not put my child's full name next to a photo. This consent lasts while my child is at the academy unless I withdraw it. I can withdraw it at any time by telling the academy office, and photos of my child will then be taken down.",
            "Can we put photos and videos of you on the academy website? We won't put your full name next to your photo. You can say no, and you can change your mind at any time: just tell the office."),

        // Asked again every year: posts are shared beyond our control, so families re-decide as things change.
        new("academy-social", "Academy social media",
            "Photos and short videos on the academy's own social media accounts, such as Facebook, Instagram and X. Posts can be shared by other people and are hard to remove completely once shared.",
            LawfulBasis.Consent, ValidityKind.EndOfAcademicYear, 0, PublishesOnTrustAccounts: true, SortOrder: 30,
            "I agree that the academy may post photos and short videos of my child on the academy's social media accounts. I understand that other people can share posts and that a shared post is hard to remove completely. We will not name my child in a post. This consent lasts until the end of this school year; we will ask again next year. I can withdraw it at any time by telling the academy office.",
            "Can we post photos and videos of you on the academy's social media? Other people can share posts, so they can be hard to delete. We won't name you. You can say no, and you can change your mind at any time. We'll ask again next school year."),

        new("trust-social", "Trust and regional social media",
            "Photos and short videos on the trust's and its regional teams' social media accounts, which reach people beyond your child's academy.",
            LawfulBasis.Consent, ValidityKind.EndOfAcademicYear, 0, PublishesOnTrustAccounts: true, SortOrder: 40,
            "I agree that the trust and its regional teams may post photos and short videos of my child on their social media accounts, which are seen by people across the trust and beyond. We will not name my child in a post. This consent lasts until the end of this school year; we will ask again next year. I can withdraw it at any time by telling the academy office.",
            "Can the trust (the group your academy belongs to) post photos and videos of you on its social media? These are seen by more people than the academy's own accounts. We won't name you. You can say no, and you can change your mind at any time."),

        // Until withdrawn: a withdrawal stops new print runs; copies already printed cannot be recalled.
        new("printed-publications", "Prospectus and newsletters",
            "Photos in printed and PDF publications such as the academy prospectus, newsletters and yearbook.",
            LawfulBasis.Consent, ValidityKind.UntilWithdrawn, 0, PublishesOnTrustAccounts: false, SortOrder: 50,
            "I agree that the academy may use photos of my child in printed and PDF publications such as the prospectus, newsletters and yearbook. I understand that copies already printed or sent cannot be recalled, but if I withdraw consent my child's photo will not be used in anything new.",
            "Can we use photos of you in the prospectus, newsletters and yearbook? Once something is printed we can't take it back, but if you change your mind we won't use your photo in anything new."),

        // Twelve months: press opportunities are occasional and the press may name pupils, so the consent is
        // kept short and renewed rather than assumed. Not a trust account, so a posting pause does not cover it.
        new("press-media", "Press and media",
            "Photos and filming by journalists from newspapers, TV, radio or news websites at events such as results days, visits and competitions. The press may publish your child's name.",
            LawfulBasis.Consent, ValidityKind.Months, 12, PublishesOnTrustAccounts: false, SortOrder: 60,
            "I agree that journalists from newspapers, TV, radio or news websites may photograph or film my child at academy events, and that the coverage may include my child's name. The academy cannot control what the media publish or how long they keep it. This consent lasts for 12 months and I can withdraw it at any time by telling the academy office.",
            "Can journalists (newspapers, TV, radio, news websites) take photos or film you at school events? They might print your name, and we can't control what they publish. This lasts 12 months. You can say no, and you can change your mind at any time."),

        new("video-livestream", "Video and livestreams",
            "Video recordings and live broadcasts of performances, assemblies, sports days and celebrations, shared on the academy's video channels or streamed live to families.",
            LawfulBasis.Consent, ValidityKind.Months, 12, PublishesOnTrustAccounts: true, SortOrder: 70,
            "I agree that the academy may record my child in videos of performances, assemblies, sports days and celebrations, share them on the academy's video channels and stream them live to families. Something streamed live cannot be taken back. This consent lasts for 12 months and I can withdraw it at any time by telling the academy office.",
            "Can we film you at performances, assemblies, sports days and celebrations, and share the videos or stream them live? A livestream can't be taken back once it's shown. This lasts 12 months. You can say no, and you can change your mind at any time."),
    ];
}
