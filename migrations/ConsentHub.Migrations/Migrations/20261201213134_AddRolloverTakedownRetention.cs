using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddRolloverTakedownRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "done_by_name",
                schema: "consenthub",
                table: "takedown_tasks",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "done_note",
                schema: "consenthub",
                table: "takedown_tasks",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "escalated_at",
                schema: "consenthub",
                table: "takedown_tasks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "notified_at",
                schema: "consenthub",
                table: "takedown_tasks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancel_reason",
                schema: "consenthub",
                table: "signature_requests",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "cancelled_at",
                schema: "consenthub",
                table: "signature_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "renewal_asks",
                schema: "consenthub",
                columns: table => new
                {
                    answer_id = table.Column<long>(type: "bigint", nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    expires_on = table.Column<DateOnly>(type: "date", nullable: false),
                    asked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issue_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_renewal_asks", x => x.answer_id);
                    table.ForeignKey(
                        name: "fk_renewal_asks_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "retention_runs",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dry_run = table.Column<bool>(type: "boolean", nullable: false),
                    run_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ran_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    left_before = table.Column<DateOnly>(type: "date", nullable: false),
                    pupils = table.Column<int>(type: "integer", nullable: false),
                    contacts = table.Column<int>(type: "integer", nullable: false),
                    answers = table.Column<int>(type: "integer", nullable: false),
                    pupils_by_academy = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retention_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "rollover_reports",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    run_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ran_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    pupils_on_roll = table.Column<int>(type: "integer", nullable: false),
                    pupil_now_asked = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    parent_now_asked = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    parent_no_longer_asked = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    pupil_no_longer_asked = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    issue_id = table.Column<Guid>(type: "uuid", nullable: true),
                    requests_created = table.Column<int>(type: "integer", nullable: false),
                    emails_queued = table.Column<int>(type: "integer", nullable: false),
                    on_paper = table.Column<int>(type: "integer", nullable: false),
                    requests_closed = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rollover_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_rollover_reports_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_rollover_reports_request_issues_issue_id",
                        column: x => x.issue_id,
                        principalSchema: "consenthub",
                        principalTable: "request_issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_open_created_at",
                schema: "consenthub",
                table: "takedown_tasks",
                column: "created_at",
                filter: "done_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_renewal_asks_pupil_id",
                schema: "consenthub",
                table: "renewal_asks",
                column: "pupil_id");

            migrationBuilder.CreateIndex(
                name: "ix_retention_runs_ran_at",
                schema: "consenthub",
                table: "retention_runs",
                column: "ran_at");

            migrationBuilder.CreateIndex(
                name: "ix_rollover_reports_academy_id_ran_at",
                schema: "consenthub",
                table: "rollover_reports",
                columns: new[] { "academy_id", "ran_at" });

            migrationBuilder.CreateIndex(
                name: "ix_rollover_reports_issue_id",
                schema: "consenthub",
                table: "rollover_reports",
                column: "issue_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "renewal_asks",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "retention_runs",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "rollover_reports",
                schema: "consenthub");

            migrationBuilder.DropIndex(
                name: "ix_takedown_tasks_open_created_at",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropColumn(
                name: "done_by_name",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropColumn(
                name: "done_note",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropColumn(
                name: "escalated_at",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropColumn(
                name: "notified_at",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropColumn(
                name: "cancel_reason",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropColumn(
                name: "cancelled_at",
                schema: "consenthub",
                table: "signature_requests");
        }
    }
}
