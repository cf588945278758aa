using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddChasing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The existing trust row gets ChaseSettings.Default; the model itself has no column defaults.
            migrationBuilder.AddColumn<string>(
                name: "chase_anchor",
                schema: "consenthub",
                table: "trusts",
                type: "character varying(24)",
                maxLength: 24,
                nullable: false,
                defaultValue: "AfterIssue");

            migrationBuilder.AddColumn<int>(
                name: "chase_follow_up_after_days",
                schema: "consenthub",
                table: "trusts",
                type: "integer",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<List<int>>(
                name: "chase_offsets_days",
                schema: "consenthub",
                table: "trusts",
                type: "integer[]",
                nullable: false,
                defaultValueSql: "ARRAY[3, 7, 14]");

            migrationBuilder.AddColumn<TimeOnly>(
                name: "chase_quiet_from",
                schema: "consenthub",
                table: "trusts",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(21, 0, 0));

            migrationBuilder.AddColumn<TimeOnly>(
                name: "chase_quiet_until",
                schema: "consenthub",
                table: "trusts",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(7, 0, 0));

            migrationBuilder.AddColumn<bool>(
                name: "chase_skip_weekends",
                schema: "consenthub",
                table: "trusts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "signature_request_id",
                schema: "consenthub",
                table: "outbox_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "email_failing_reason",
                schema: "consenthub",
                table: "contacts",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "follow_ups",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    signature_request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolved_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_follow_ups", x => x.id);
                    table.ForeignKey(
                        name: "fk_follow_ups_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_follow_ups_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_follow_ups_signature_requests_signature_request_id",
                        column: x => x.signature_request_id,
                        principalSchema: "consenthub",
                        principalTable: "signature_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "follow_up_actions",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    follow_up_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_follow_up_actions", x => x.id);
                    table.ForeignKey(
                        name: "fk_follow_up_actions_follow_ups_follow_up_id",
                        column: x => x.follow_up_id,
                        principalSchema: "consenthub",
                        principalTable: "follow_ups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_signature_request_id",
                schema: "consenthub",
                table: "outbox_messages",
                column: "signature_request_id",
                filter: "signature_request_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_follow_up_actions_follow_up_id",
                schema: "consenthub",
                table: "follow_up_actions",
                column: "follow_up_id");

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_academy_id_created_at",
                schema: "consenthub",
                table: "follow_ups",
                columns: new[] { "academy_id", "created_at" },
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_pupil_id",
                schema: "consenthub",
                table: "follow_ups",
                column: "pupil_id");

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_signature_request_id",
                schema: "consenthub",
                table: "follow_ups",
                column: "signature_request_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "follow_up_actions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "follow_ups",
                schema: "consenthub");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_signature_request_id",
                schema: "consenthub",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "chase_anchor",
                schema: "consenthub",
                table: "trusts");

            migrationBuilder.DropColumn(
                name: "chase_follow_up_after_days",
                schema: "consenthub",
                table: "trusts");

            migrationBuilder.DropColumn(
                name: "chase_offsets_days",
                schema: "consenthub",
                table: "trusts");

            migrationBuilder.DropColumn(
                name: "chase_quiet_from",
                schema: "consenthub",
                table: "trusts");

            migrationBuilder.DropColumn(
                name: "chase_quiet_until",
                schema: "consenthub",
                table: "trusts");

            migrationBuilder.DropColumn(
                name: "chase_skip_weekends",
                schema: "consenthub",
                table: "trusts");

            migrationBuilder.DropColumn(
                name: "signature_request_id",
                schema: "consenthub",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "email_failing_reason",
                schema: "consenthub",
                table: "contacts");
        }
    }
}
