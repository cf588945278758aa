using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <summary>
    /// One meaning for a blank preferred name in the check read model too: the facts document's name is the pupils'
    /// generated <c>display_name</c> (a missing or blank preferred name is the legal name), no longer a
    /// <c>coalesce</c> that kept a blank preferred name blank. Every pupil's facts are rebuilt in one statement;
    /// only the documents whose name changes are written.
    /// </summary>
    public partial class FactsNameFromDisplayName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.ConsentFactsSql.FactsOf);
            migrationBuilder.Sql(Sql.ConsentFactsSql.RebuildAll);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.History.ConsentFactsSqlAtBaseline.FactsOf);
            migrationBuilder.Sql(Sql.ConsentFactsSql.RebuildAll);
        }
    }
}
