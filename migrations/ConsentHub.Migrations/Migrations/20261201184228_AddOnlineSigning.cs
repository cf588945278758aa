using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddOnlineSigning : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "online_submission_id",
                schema: "consenthub",
                table: "consent_answers",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "signature_request_id",
                schema: "consenthub",
                table: "consent_answers",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "signer_links",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signer_links", x => x.id);
                    table.ForeignKey(
                        name: "fk_signer_links_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "consenthub",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_signer_links_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "signing_lockouts",
                schema: "consenthub",
                columns: table => new
                {
                    target_id = table.Column<Guid>(type: "uuid", nullable: false),
                    failed_attempts = table.Column<int>(type: "integer", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signing_lockouts", x => x.target_id);
                });

            migrationBuilder.CreateTable(
                name: "takedown_tasks",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    answer_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    done_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_takedown_tasks", x => x.id);
                    table.ForeignKey(
                        name: "fk_takedown_tasks_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_takedown_tasks_affiliated_accounts_account_id",
                        column: x => x.account_id,
                        principalSchema: "consenthub",
                        principalTable: "affiliated_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_takedown_tasks_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_takedown_tasks_purposes_purpose_id",
                        column: x => x.purpose_id,
                        principalSchema: "consenthub",
                        principalTable: "purposes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "online_submissions",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    receipt_number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    signature_request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    signer_link_id = table.Column<Guid>(type: "uuid", nullable: true),
                    form_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    signature_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_online_submissions", x => x.id);
                    table.ForeignKey(
                        name: "fk_online_submissions_form_versions_form_version_id",
                        column: x => x.form_version_id,
                        principalSchema: "consenthub",
                        principalTable: "form_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_online_submissions_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_online_submissions_signature_requests_signature_request_id",
                        column: x => x.signature_request_id,
                        principalSchema: "consenthub",
                        principalTable: "signature_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_online_submissions_signer_links_signer_link_id",
                        column: x => x.signer_link_id,
                        principalSchema: "consenthub",
                        principalTable: "signer_links",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_consent_answers_online_submission_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "online_submission_id",
                filter: "online_submission_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_consent_answers_signature_request_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "signature_request_id");

            migrationBuilder.CreateIndex(
                name: "ix_online_submissions_form_version_id",
                schema: "consenthub",
                table: "online_submissions",
                column: "form_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_online_submissions_pupil_id",
                schema: "consenthub",
                table: "online_submissions",
                column: "pupil_id");

            migrationBuilder.CreateIndex(
                name: "ix_online_submissions_receipt_number",
                schema: "consenthub",
                table: "online_submissions",
                column: "receipt_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_online_submissions_signature_request_id",
                schema: "consenthub",
                table: "online_submissions",
                column: "signature_request_id",
                unique: true,
                filter: "signature_request_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_online_submissions_signer_link_id_submitted_at",
                schema: "consenthub",
                table: "online_submissions",
                columns: new[] { "signer_link_id", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_signer_links_contact_id",
                schema: "consenthub",
                table: "signer_links",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_signer_links_pupil_id_contact_id",
                schema: "consenthub",
                table: "signer_links",
                columns: new[] { "pupil_id", "contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_signer_links_token_hash",
                schema: "consenthub",
                table: "signer_links",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_academy_id_done_at",
                schema: "consenthub",
                table: "takedown_tasks",
                columns: new[] { "academy_id", "done_at" });

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_account_id_pupil_id_purpose_id",
                schema: "consenthub",
                table: "takedown_tasks",
                columns: new[] { "account_id", "pupil_id", "purpose_id" },
                unique: true,
                filter: "done_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_pupil_id",
                schema: "consenthub",
                table: "takedown_tasks",
                column: "pupil_id");

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_purpose_id",
                schema: "consenthub",
                table: "takedown_tasks",
                column: "purpose_id");

            migrationBuilder.AddForeignKey(
                name: "fk_consent_answers_online_submissions_online_submission_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "online_submission_id",
                principalSchema: "consenthub",
                principalTable: "online_submissions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_consent_answers_signature_requests_signature_request_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "signature_request_id",
                principalSchema: "consenthub",
                principalTable: "signature_requests",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_consent_answers_online_submissions_online_submission_id",
                schema: "consenthub",
                table: "consent_answers");

            migrationBuilder.DropForeignKey(
                name: "fk_consent_answers_signature_requests_signature_request_id",
                schema: "consenthub",
                table: "consent_answers");

            migrationBuilder.DropTable(
                name: "online_submissions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "signing_lockouts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "takedown_tasks",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "signer_links",
                schema: "consenthub");

            migrationBuilder.DropIndex(
                name: "ix_consent_answers_online_submission_id",
                schema: "consenthub",
                table: "consent_answers");

            migrationBuilder.DropIndex(
                name: "ix_consent_answers_signature_request_id",
                schema: "consenthub",
                table: "consent_answers");

            migrationBuilder.DropColumn(
                name: "online_submission_id",
                schema: "consenthub",
                table: "consent_answers");

            migrationBuilder.DropColumn(
                name: "signature_request_id",
                schema: "consenthub",
                table: "consent_answers");
        }
    }
}
