using ConsentHub.Consent;
using Npgsql;

namespace ConsentHub.Trust.Demo;

/// <summary>
/// What the demo rows hang off: the trust row, the purposes and the published form version already in the
/// database (see <see cref="SeedReferenceData"/>).
/// </summary>
public sealed record DemoTrustReference(Guid TrustId, IReadOnlyList<Purpose> Purposes, Guid FormVersionId)
{
    /// <summary>The seeded purposes with fixed ids, for generating without a database (tests, benchmarks).</summary>
    public static DemoTrustReference InMemory()
    {
        var purposes = SeedReferenceData.Purposes
            .Select((p, i) => p.ToPurpose(new Guid(0x7075_7270, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(i + 1))))
            .ToList();
        return new DemoTrustReference(new Guid(0x7472_7573, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), purposes, new Guid(0x666F_726D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
    }

    /// <summary>Reads the seeded rows (run <see cref="SeedReferenceData"/> first); active purposes in form order.</summary>
    public static async Task<DemoTrustReference> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT id FROM consenthub.trusts ORDER BY id LIMIT 1),
                   (SELECT id FROM consenthub.form_versions WHERE label = @label)
            """, conn, tx);
        cmd.Parameters.AddWithValue("label", SeedReferenceData.FirstFormVersionLabel);
        Guid trustId, formVersionId;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            if (reader.IsDBNull(0) || reader.IsDBNull(1))
                throw new InvalidOperationException("The trust row or the first form version is missing: run SeedReferenceData first.");
            trustId = reader.GetGuid(0);
            formVersionId = reader.GetGuid(1);
        }

        var purposes = new List<Purpose>();
        await using var list = new NpgsqlCommand("""
            SELECT id, key, name, description, lawful_basis, validity_kind, validity_months, publishes_on_trust_accounts, sort_order
            FROM consenthub.purposes WHERE active ORDER BY sort_order, key
            """, conn, tx);
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                purposes.Add(new Purpose
                {
                    Id = reader.GetGuid(0),
                    Key = reader.GetString(1),
                    Name = reader.GetString(2),
                    Description = reader.GetString(3),
                    LawfulBasis = Enum.Parse<LawfulBasis>(reader.GetString(4)),
                    ValidityKind = Enum.Parse<ValidityKind>(reader.GetString(5)),
                    ValidityMonths = reader.GetInt32(6),
                    PublishesOnTrustAccounts = reader.GetBoolean(7),
                    SortOrder = reader.GetInt32(8),
                });
            }
        }
        return new DemoTrustReference(trustId, purposes, formVersionId);
    }
}
