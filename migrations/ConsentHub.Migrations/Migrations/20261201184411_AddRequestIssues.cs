using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddRequestIssues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "delivery",
                schema: "consenthub",
                table: "signature_requests",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "issue_id",
                schema: "consenthub",
                table: "signature_requests",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "request_issues",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    form_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    audience_kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    audience_description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    delivery = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    issued_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    pupils = table.Column<int>(type: "integer", nullable: false),
                    requests_created = table.Column<int>(type: "integer", nullable: false),
                    emails_queued = table.Column<int>(type: "integer", nullable: false),
                    on_paper = table.Column<int>(type: "integer", nullable: false),
                    skipped = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_issues", x => x.id);
                    table.ForeignKey(
                        name: "fk_request_issues_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_request_issues_form_versions_form_version_id",
                        column: x => x.form_version_id,
                        principalSchema: "consenthub",
                        principalTable: "form_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_academy_id_status_issued_at",
                schema: "consenthub",
                table: "signature_requests",
                columns: new[] { "academy_id", "status", "issued_at" });

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_issue_id",
                schema: "consenthub",
                table: "signature_requests",
                column: "issue_id");

            // Before the index: if a pupil's party was ever asked twice while both requests are open, keep the newest
            // open and cancel the rest (nobody loses an answer: answered requests are not open).
            migrationBuilder.Sql("""
                UPDATE consenthub.signature_requests r SET status = 'Cancelled'
                FROM (SELECT id, row_number() OVER (PARTITION BY pupil_id, party_kind, contact_id ORDER BY issued_at DESC, id DESC) AS n
                      FROM consenthub.signature_requests WHERE status = 'Open') d
                WHERE d.id = r.id AND d.n > 1;
                """);

            migrationBuilder.CreateIndex(
                name: "ux_signature_requests_open_party",
                schema: "consenthub",
                table: "signature_requests",
                columns: new[] { "pupil_id", "party_kind", "contact_id" },
                unique: true,
                filter: "status = 'Open'")
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_request_issues_academy_id_issued_at",
                schema: "consenthub",
                table: "request_issues",
                columns: new[] { "academy_id", "issued_at" });

            migrationBuilder.CreateIndex(
                name: "ix_request_issues_form_version_id",
                schema: "consenthub",
                table: "request_issues",
                column: "form_version_id");

            migrationBuilder.AddForeignKey(
                name: "fk_signature_requests_request_issues_issue_id",
                schema: "consenthub",
                table: "signature_requests",
                column: "issue_id",
                principalSchema: "consenthub",
                principalTable: "request_issues",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_signature_requests_request_issues_issue_id",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropTable(
                name: "request_issues",
                schema: "consenthub");

            migrationBuilder.DropIndex(
                name: "ix_signature_requests_academy_id_status_issued_at",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropIndex(
                name: "ix_signature_requests_issue_id",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropIndex(
                name: "ux_signature_requests_open_party",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropColumn(
                name: "delivery",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropColumn(
                name: "issue_id",
                schema: "consenthub",
                table: "signature_requests");
        }
    }
}
