using ConsentHub.Testing.Database;
using ConsentHub.Testing.Pdf;
using ConsentHub.Text;
using Npgsql;

namespace ConsentHub.Tests.Text;

/// <summary>
/// The one order of names: what PostgreSQL sorts with <see cref="NameOrder.Sql"/> (lists read with a LIMIT, such as
/// the Check page's search) is exactly what C# sorts with <see cref="NameOrder.Comparer"/> (lists sorted after
/// reading, such as the do-not-feature print), so a pupil sits in the same place on screen and on paper.
/// </summary>
public sealed class NameOrderTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly string[] Names =
    [
        "Dyer", "Đặng", "Dalton", "dalton", "Dang", "de Souza", "Dean", "Łukasz", "Lewis", "Lyons", "O'Brien", "O’Brien", "Obi",
        "Oates", "Ødegaard", "Ødegaard-Smith", "Öztürk", "Osei", "Mureșan", "Murphy", "Nguyễn", "Nguyen", "Ng", "Zoë", "Zoe",
        "van Dijk", "Vance", "Smith", "Smith-Jones", "Smithers", "Ó Súilleabháin", "Ñúñez", "Nunez", "Şahin", "Sahin",
        .. NamesCorpus.Words,
    ];

    [Fact]
    public void Dang_SortsAfterDalton_AndBeforeDyer_LukaszWithTheLs()
    {
        string[] names = ["Dyer", "Łukasz", "Đặng", "Lyons", "Dalton", "Lewis"];

        Assert.Equal(["Dalton", "Đặng", "Dyer", "Lewis", "Łukasz", "Lyons"], names.Order(NameOrder.Comparer));
    }

    [Fact]
    public async Task TheDatabasesCollation_GivesTheSameOrderAsTheComparer_ForEveryScriptWeSupport()
    {
        await using var cmd = database.DataSource.CreateCommand($"SELECT n FROM unnest(@names) AS n ORDER BY n {NameOrder.Sql}");
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("names", Names));
        var fromSql = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) fromSql.Add(reader.GetString(0));
        }

        Assert.Equal(Names.Order(NameOrder.Comparer), fromSql);
        Assert.True(fromSql.IndexOf("Dalton") < fromSql.IndexOf("Đặng") && fromSql.IndexOf("Đặng") < fromSql.IndexOf("Dyer"));
    }
}
