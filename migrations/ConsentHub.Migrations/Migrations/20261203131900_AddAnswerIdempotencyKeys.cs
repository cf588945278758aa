using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddAnswerIdempotencyKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "answer_idempotency_keys",
                schema: "consenthub",
                columns: table => new
                {
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    answer_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_answer_idempotency_keys", x => new { x.owner, x.key });
                    table.CheckConstraint("ck_answer_idempotency_keys_key", "length(key) BETWEEN 1 AND 255 AND key !~ '[^!-~]'");
                    table.ForeignKey(
                        name: "fk_answer_idempotency_keys_consent_answers_answer_id",
                        column: x => x.answer_id,
                        principalSchema: "consenthub",
                        principalTable: "consent_answers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_answer_idempotency_keys_answer_id",
                schema: "consenthub",
                table: "answer_idempotency_keys",
                column: "answer_id");

            migrationBuilder.CreateIndex(
                name: "ix_answer_idempotency_keys_created_at",
                schema: "consenthub",
                table: "answer_idempotency_keys",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "answer_idempotency_keys",
                schema: "consenthub");
        }
    }
}
