using ConsentHub.Pupils;
using ConsentHub.Testing.Builders;
using ConsentHub.Testing.Database;
using Npgsql;

namespace ConsentHub.Tests.Pupils;

/// <summary>
/// The names a pupil goes by have one meaning: the preferred name unless it is missing or blank. The database's
/// generated columns (read by every SQL query), the SQL fragment for rows without them (PupilNameSql) and the entity's C# members agree over one table of cases.
/// </summary>
public sealed class PupilNamesTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    /// <summary>Legal first, legal last, preferred first, preferred last, the display name expected.</summary>
    public static TheoryData<string, string, string?, string?, string> Cases => new()
    {
        { "Amelia", "Smith", null, null, "Amelia Smith" },
        { "Amelia", "Smith", "Millie", null, "Millie Smith" },
        { "Amelia", "Smith", "", "", "Amelia Smith" },
        { "Amelia", "Smith", "   ", "\t", "Amelia Smith" },
        { "Łukasz", "Ødegaard-Smith", "Luke", "Ødegaard", "Luke Ødegaard" },
        { "Zoë", "O’Brien", null, "O'Brien", "Zoë O'Brien" },
        { "محمد", "Mureșan", "", "Đặng", "محمد Đặng" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DisplayNames_TheDatabaseAndTheEntityAgree(string legalFirst, string legalLast, string? preferredFirst, string? preferredLast, string expected)
    {
        await using var db = database.CreateDbContext();
        var t = await TestTrust.CreateAsync(db);
        var (pupil, _) = await TestTrust.AddPupilAsync(db, t.NorthAcademyId, 5, "5N", legalFirst, legalLast);
        pupil.PreferredFirstName = preferredFirst;
        pupil.PreferredLastName = preferredLast;
        await db.SaveChangesAsync();

        await using var conn = new NpgsqlConnection(database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            $"SELECT p.display_first_name, p.display_last_name, p.display_name, {PupilNameSql.FirstName("p")}, {PupilNameSql.LastName("p")}, {PupilNameSql.DisplayName("p")} "
            + "FROM consenthub.pupils p WHERE p.id = @id", conn);
        cmd.Parameters.AddWithValue("id", pupil.Id);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var stored = new StoredNames(reader.GetString(0), reader.GetString(1), reader.GetString(2));
        // The fragment an import's staging rows use (they have no generated columns) spells the same names.
        var spelled = new StoredNames(reader.GetString(3), reader.GetString(4), reader.GetString(5));

        Assert.Equal(expected, pupil.DisplayName);
        Assert.Equal(pupil.FirstName, stored.First);
        Assert.Equal(pupil.LastName, stored.Last);
        Assert.Equal(expected, stored.Name);
        Assert.Equal(stored, spelled);
    }

    private sealed record StoredNames(string First, string Last, string Name);
}
