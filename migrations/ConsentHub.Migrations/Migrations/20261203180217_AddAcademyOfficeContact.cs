using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddAcademyOfficeContact : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "office_email",
                schema: "consenthub",
                table: "academies",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "office_phone",
                schema: "consenthub",
                table: "academies",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_academies_office_email",
                schema: "consenthub",
                table: "academies",
                sql: "office_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_academies_office_phone",
                schema: "consenthub",
                table: "academies",
                sql: "office_phone ~ '^[0-9 +()-]+$' AND office_phone ~ '([0-9][^0-9]*){6}'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_academies_office_email",
                schema: "consenthub",
                table: "academies");

            migrationBuilder.DropCheckConstraint(
                name: "ck_academies_office_phone",
                schema: "consenthub",
                table: "academies");

            migrationBuilder.DropColumn(
                name: "office_email",
                schema: "consenthub",
                table: "academies");

            migrationBuilder.DropColumn(
                name: "office_phone",
                schema: "consenthub",
                table: "academies");
        }
    }
}
