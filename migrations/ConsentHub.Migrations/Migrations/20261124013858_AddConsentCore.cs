using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddConsentCore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    secret_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_chain_heads",
                schema: "consenthub",
                columns: table => new
                {
                    chain_id = table.Column<Guid>(type: "uuid", nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false),
                    last_hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_chain_heads", x => x.chain_id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    chain_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    entity_type = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    entity_id = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: true),
                    payload = table.Column<string>(type: "text", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "contacts",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    preferred_language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    email_failing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "form_versions",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    label = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    consent_valid_through = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_form_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "posting_pauses",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scope = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scope_id = table.Column<Guid>(type: "uuid", nullable: true),
                    from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    set_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_posting_pauses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "purposes",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    lawful_basis = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    validity_kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    validity_months = table.Column<int>(type: "integer", nullable: false),
                    publishes_on_trust_accounts = table.Column<bool>(type: "boolean", nullable: false),
                    sort_order = table.Column<int>(type: "integer", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_purposes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trusts",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email_domains = table.Column<List<string>>(type: "text[]", nullable: false),
                    require_every_parental_responsibility_holder = table.Column<bool>(type: "boolean", nullable: false),
                    academic_year_start_month = table.Column<int>(type: "integer", nullable: false),
                    academic_year_start_day = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trusts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "form_wordings",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    form_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose_id = table.Column<Guid>(type: "uuid", nullable: false),
                    audience = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    text = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_form_wordings", x => x.id);
                    table.ForeignKey(
                        name: "fk_form_wordings_form_versions_form_version_id",
                        column: x => x.form_version_id,
                        principalSchema: "consenthub",
                        principalTable: "form_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_form_wordings_purposes_purpose_id",
                        column: x => x.purpose_id,
                        principalSchema: "consenthub",
                        principalTable: "purposes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "regions",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    trust_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_regions", x => x.id);
                    table.ForeignKey(
                        name: "fk_regions_trusts_trust_id",
                        column: x => x.trust_id,
                        principalSchema: "consenthub",
                        principalTable: "trusts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "academies",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    region_id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    phase = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    lowest_year = table.Column<int>(type: "integer", nullable: false),
                    highest_year = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_academies", x => x.id);
                    table.ForeignKey(
                        name: "fk_academies_regions_region_id",
                        column: x => x.region_id,
                        principalSchema: "consenthub",
                        principalTable: "regions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pupils",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    mis_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    legal_first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    legal_last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    preferred_first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    preferred_last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    date_of_birth = table.Column<DateOnly>(type: "date", nullable: false),
                    year_group = table.Column<int>(type: "integer", nullable: false),
                    registration_group = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    started_on = table.Column<DateOnly>(type: "date", nullable: true),
                    left_on = table.Column<DateOnly>(type: "date", nullable: true),
                    school_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    also_ask_parent = table.Column<bool>(type: "boolean", nullable: false),
                    also_ask_parent_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pupils", x => x.id);
                    table.ForeignKey(
                        name: "fk_pupils_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "consent_answers",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    method = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    form_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    signature_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ip_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    scan_reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    attested = table.Column<bool>(type: "boolean", nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consent_answers", x => x.id);
                    table.ForeignKey(
                        name: "fk_consent_answers_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_consent_answers_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "consenthub",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_consent_answers_form_versions_form_version_id",
                        column: x => x.form_version_id,
                        principalSchema: "consenthub",
                        principalTable: "form_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_consent_answers_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_consent_answers_purposes_purpose_id",
                        column: x => x.purpose_id,
                        principalSchema: "consenthub",
                        principalTable: "purposes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "current_answers",
                schema: "consenthub",
                columns: table => new
                {
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    answer_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    form_version_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_current_answers", x => new { x.pupil_id, x.purpose_id, x.party_id });
                    table.ForeignKey(
                        name: "fk_current_answers_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pupil_contacts",
                schema: "consenthub",
                columns: table => new
                {
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    relationship = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    has_parental_responsibility = table.Column<bool>(type: "boolean", nullable: false),
                    no_contact_order = table.Column<bool>(type: "boolean", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pupil_contacts", x => new { x.pupil_id, x.contact_id });
                    table.ForeignKey(
                        name: "fk_pupil_contacts_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "consenthub",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_pupil_contacts_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "safeguarding_flags",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    set_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    set_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cleared_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    cleared_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_safeguarding_flags", x => x.id);
                    table.ForeignKey(
                        name: "fk_safeguarding_flags_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "signature_requests",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    form_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: true),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    issued_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    deadline = table.Column<DateOnly>(type: "date", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_signature_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_signature_requests_form_versions_form_version_id",
                        column: x => x.form_version_id,
                        principalSchema: "consenthub",
                        principalTable: "form_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_signature_requests_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_academies_code",
                schema: "consenthub",
                table: "academies",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_academies_region_id",
                schema: "consenthub",
                table: "academies",
                column: "region_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_prefix",
                schema: "consenthub",
                table: "api_keys",
                column: "prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_chain_id_sequence",
                schema: "consenthub",
                table: "audit_entries",
                columns: new[] { "chain_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_pupil_id_at",
                schema: "consenthub",
                table: "audit_entries",
                columns: new[] { "pupil_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_consent_answers_academy_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "academy_id");

            migrationBuilder.CreateIndex(
                name: "ix_consent_answers_contact_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_consent_answers_form_version_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "form_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_consent_answers_pupil_id_purpose_id_at",
                schema: "consenthub",
                table: "consent_answers",
                columns: new[] { "pupil_id", "purpose_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_consent_answers_purpose_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "purpose_id");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_email",
                schema: "consenthub",
                table: "contacts",
                column: "email");

            migrationBuilder.CreateIndex(
                name: "ix_form_versions_label",
                schema: "consenthub",
                table: "form_versions",
                column: "label",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_form_wordings_form_version_id_purpose_id_audience_language",
                schema: "consenthub",
                table: "form_wordings",
                columns: new[] { "form_version_id", "purpose_id", "audience", "language" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_form_wordings_purpose_id",
                schema: "consenthub",
                table: "form_wordings",
                column: "purpose_id");

            migrationBuilder.CreateIndex(
                name: "ix_posting_pauses_scope_scope_id_from",
                schema: "consenthub",
                table: "posting_pauses",
                columns: new[] { "scope", "scope_id", "from" });

            migrationBuilder.CreateIndex(
                name: "ix_pupil_contacts_contact_id",
                schema: "consenthub",
                table: "pupil_contacts",
                column: "contact_id");

            migrationBuilder.CreateIndex(
                name: "ix_pupils_academy_id_mis_id",
                schema: "consenthub",
                table: "pupils",
                columns: new[] { "academy_id", "mis_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pupils_academy_id_registration_group",
                schema: "consenthub",
                table: "pupils",
                columns: new[] { "academy_id", "registration_group" });

            migrationBuilder.CreateIndex(
                name: "ix_pupils_academy_id_year_group",
                schema: "consenthub",
                table: "pupils",
                columns: new[] { "academy_id", "year_group" });

            migrationBuilder.CreateIndex(
                name: "ix_purposes_key",
                schema: "consenthub",
                table: "purposes",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_regions_trust_id_name",
                schema: "consenthub",
                table: "regions",
                columns: new[] { "trust_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_safeguarding_flags_pupil_id",
                schema: "consenthub",
                table: "safeguarding_flags",
                column: "pupil_id",
                unique: true,
                filter: "cleared_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_form_version_id",
                schema: "consenthub",
                table: "signature_requests",
                column: "form_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_pupil_id_status",
                schema: "consenthub",
                table: "signature_requests",
                columns: new[] { "pupil_id", "status" });
            migrationBuilder.Sql(Sql.ConsentCoreSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.ConsentCoreSql.Down);

            migrationBuilder.DropTable(
                name: "api_keys",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "audit_chain_heads",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "audit_entries",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "consent_answers",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "current_answers",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "form_wordings",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "posting_pauses",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "pupil_contacts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "safeguarding_flags",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "signature_requests",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "purposes",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "contacts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "form_versions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "pupils",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "academies",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "regions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "trusts",
                schema: "consenthub");
        }
    }
}
