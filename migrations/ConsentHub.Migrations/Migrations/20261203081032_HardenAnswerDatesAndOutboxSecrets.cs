using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class HardenAnswerDatesAndOutboxSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "claim_key",
                schema: "consenthub",
                table: "outbox_messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sealed_secrets",
                schema: "consenthub",
                table: "outbox_messages",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.Sql(Sql.HardeningSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.HardeningSql.Down);

            migrationBuilder.DropColumn(
                name: "claim_key",
                schema: "consenthub",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "sealed_secrets",
                schema: "consenthub",
                table: "outbox_messages");
        }
    }
}
