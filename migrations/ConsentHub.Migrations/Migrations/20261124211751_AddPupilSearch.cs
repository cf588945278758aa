using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddPupilSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.PupilSearchSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.PupilSearchSql.Down);
        }
    }
}
