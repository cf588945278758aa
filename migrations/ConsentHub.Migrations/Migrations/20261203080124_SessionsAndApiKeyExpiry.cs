using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SessionsAndApiKeyExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                schema: "consenthub",
                table: "api_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "revoked_by",
                schema: "consenthub",
                table: "api_keys",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "staff_sessions",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_staff_sessions_staff_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "consenthub",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_academy_id",
                schema: "consenthub",
                table: "api_keys",
                column: "academy_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_sessions_user_id",
                schema: "consenthub",
                table: "staff_sessions",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "staff_sessions",
                schema: "consenthub");

            migrationBuilder.DropIndex(
                name: "ix_api_keys_academy_id",
                schema: "consenthub",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "expires_at",
                schema: "consenthub",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "revoked_by",
                schema: "consenthub",
                table: "api_keys");
        }
    }
}
