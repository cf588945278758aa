using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <summary>Business rules stated once in SQL: who may answer (may_answer) and the names a pupil goes by.</summary>
    public partial class AddSharedRuleVocabulary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.WhoMayAnswerSql.Up);
            migrationBuilder.Sql(Sql.PupilNamesSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.PupilNamesSql.Down);
            migrationBuilder.Sql(Sql.WhoMayAnswerSql.Down);
        }
    }
}
