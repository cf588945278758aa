using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddAffiliatedAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "affiliated_accounts",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    platform = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    handle = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    url = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    scope_id = table.Column<Guid>(type: "uuid", nullable: true),
                    first_admin_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    first_admin_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    second_admin_name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    second_admin_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registered_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_affiliated_accounts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_affiliated_accounts_platform_handle",
                schema: "consenthub",
                table: "affiliated_accounts",
                columns: new[] { "platform", "handle" },
                unique: true,
                filter: "closed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_affiliated_accounts_scope_scope_id",
                schema: "consenthub",
                table: "affiliated_accounts",
                columns: new[] { "scope", "scope_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "affiliated_accounts",
                schema: "consenthub");
        }
    }
}
