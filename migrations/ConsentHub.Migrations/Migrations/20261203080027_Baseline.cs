using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "consenthub");

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
                    email_failing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    email_failing_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contacts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
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
                name: "outbox_messages",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    business_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    to_address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    to_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    text_body = table.Column<string>(type: "text", nullable: false),
                    html_body = table.Column<string>(type: "text", nullable: true),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    signature_request_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
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
                name: "staff_users",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    disabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_users", x => x.id);
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
                    academic_year_start_day = table.Column<int>(type: "integer", nullable: false),
                    chase_anchor = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false, defaultValueSql: "'AfterIssue'::character varying"),
                    chase_follow_up_after_days = table.Column<int>(type: "integer", nullable: false, defaultValueSql: "2"),
                    chase_offsets_days = table.Column<List<int>>(type: "integer[]", nullable: false, defaultValueSql: "ARRAY[3, 7, 14]"),
                    chase_quiet_from = table.Column<TimeOnly>(type: "time without time zone", nullable: false, defaultValueSql: "'21:00:00'::time without time zone"),
                    chase_quiet_until = table.Column<TimeOnly>(type: "time without time zone", nullable: false, defaultValueSql: "'07:00:00'::time without time zone"),
                    chase_skip_weekends = table.Column<bool>(type: "boolean", nullable: false, defaultValueSql: "false")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_trusts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_attachments",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    outbox_message_id = table.Column<long>(type: "bigint", nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_outbox_attachments_outbox_messages_outbox_message_id",
                        column: x => x.outbox_message_id,
                        principalSchema: "consenthub",
                        principalTable: "outbox_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "staff_user_claims",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_staff_user_claims_staff_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "consenthub",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_user_logins",
                schema: "consenthub",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_staff_user_logins_staff_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "consenthub",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_user_tokens",
                schema: "consenthub",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_staff_user_tokens_staff_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "consenthub",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "academy_logos",
                schema: "consenthub",
                columns: table => new
                {
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_academy_logos", x => x.academy_id);
                    table.ForeignKey(
                        name: "fk_academy_logos_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "form_packs",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    year_group = table.Column<int>(type: "integer", nullable: true),
                    registration_group = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    only_without_email = table.Column<bool>(type: "boolean", nullable: false),
                    description = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    done = table.Column<int>(type: "integer", nullable: false),
                    pages = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_form_packs", x => x.id);
                    table.ForeignKey(
                        name: "fk_form_packs_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
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

            migrationBuilder.CreateTable(
                name: "staff_role_assignments",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: true),
                    region_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_role_assignments", x => x.id);
                    table.CheckConstraint("ck_staff_role_assignments_one_scope", "academy_id IS NULL OR region_id IS NULL");
                    table.ForeignKey(
                        name: "fk_staff_role_assignments_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_staff_role_assignments_regions_region_id",
                        column: x => x.region_id,
                        principalSchema: "consenthub",
                        principalTable: "regions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_staff_role_assignments_staff_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "consenthub",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "paper_scans",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    size = table.Column<int>(type: "integer", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_paper_scans", x => x.id);
                    table.ForeignKey(
                        name: "fk_paper_scans_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pupil_consent_facts",
                schema: "consenthub",
                columns: table => new
                {
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    facts = table.Column<string>(type: "json", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pupil_consent_facts", x => x.pupil_id);
                    table.ForeignKey(
                        name: "fk_pupil_consent_facts_pupils_pupil_id",
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
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    done_by_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    done_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    escalated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    notified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "'-infinity'::timestamp with time zone"),
                    short_code = table.Column<string>(type: "character(8)", fixedLength: true, maxLength: 8, nullable: false, defaultValueSql: "''::bpchar"),
                    token_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false, defaultValueSql: "'\\x'::bytea"),
                    delivery = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    issue_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cancel_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    table.ForeignKey(
                        name: "fk_signature_requests_request_issues_issue_id",
                        column: x => x.issue_id,
                        principalSchema: "consenthub",
                        principalTable: "request_issues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

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
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    online_submission_id = table.Column<Guid>(type: "uuid", nullable: true),
                    signature_request_id = table.Column<Guid>(type: "uuid", nullable: true)
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
                        name: "fk_consent_answers_online_submissions_online_submission_id",
                        column: x => x.online_submission_id,
                        principalSchema: "consenthub",
                        principalTable: "online_submissions",
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
                    table.ForeignKey(
                        name: "fk_consent_answers_signature_requests_signature_request_id",
                        column: x => x.signature_request_id,
                        principalSchema: "consenthub",
                        principalTable: "signature_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
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
                name: "ix_consent_answers_online_submission_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "online_submission_id",
                filter: "online_submission_id IS NOT NULL");

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
                name: "ix_consent_answers_signature_request_id",
                schema: "consenthub",
                table: "consent_answers",
                column: "signature_request_id");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_email",
                schema: "consenthub",
                table: "contacts",
                column: "email");

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

            migrationBuilder.CreateIndex(
                name: "ix_form_packs_academy_id_requested_at",
                schema: "consenthub",
                table: "form_packs",
                columns: new[] { "academy_id", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "ix_form_packs_expires_at",
                schema: "consenthub",
                table: "form_packs",
                column: "expires_at");

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
                name: "ix_outbox_attachments_outbox_message_id",
                schema: "consenthub",
                table: "outbox_attachments",
                column: "outbox_message_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_business_key",
                schema: "consenthub",
                table: "outbox_messages",
                column: "business_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_message_id",
                schema: "consenthub",
                table: "outbox_messages",
                column: "message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_signature_request_id",
                schema: "consenthub",
                table: "outbox_messages",
                column: "signature_request_id",
                filter: "signature_request_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_status_next_attempt_at",
                schema: "consenthub",
                table: "outbox_messages",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_paper_scans_pupil_id",
                schema: "consenthub",
                table: "paper_scans",
                column: "pupil_id");

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
                name: "ix_renewal_asks_pupil_id",
                schema: "consenthub",
                table: "renewal_asks",
                column: "pupil_id");

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

            migrationBuilder.CreateIndex(
                name: "ix_safeguarding_flags_pupil_id",
                schema: "consenthub",
                table: "safeguarding_flags",
                column: "pupil_id",
                unique: true,
                filter: "cleared_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_academy_id_status_issued_at",
                schema: "consenthub",
                table: "signature_requests",
                columns: new[] { "academy_id", "status", "issued_at" });

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_form_version_id",
                schema: "consenthub",
                table: "signature_requests",
                column: "form_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_issue_id",
                schema: "consenthub",
                table: "signature_requests",
                column: "issue_id");

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_pupil_id_status",
                schema: "consenthub",
                table: "signature_requests",
                columns: new[] { "pupil_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_short_code",
                schema: "consenthub",
                table: "signature_requests",
                column: "short_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_token_hash",
                schema: "consenthub",
                table: "signature_requests",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_signature_requests_open_party",
                schema: "consenthub",
                table: "signature_requests",
                columns: new[] { "pupil_id", "party_kind", "contact_id" },
                unique: true,
                filter: "status = 'Open'")
                .Annotation("Npgsql:NullsDistinct", false);

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
                name: "ix_staff_role_assignments_academy_id",
                schema: "consenthub",
                table: "staff_role_assignments",
                column: "academy_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_role_assignments_region_id",
                schema: "consenthub",
                table: "staff_role_assignments",
                column: "region_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_role_assignments_user_id_role_academy_id_region_id",
                schema: "consenthub",
                table: "staff_role_assignments",
                columns: new[] { "user_id", "role", "academy_id", "region_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_staff_user_claims_user_id",
                schema: "consenthub",
                table: "staff_user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_user_logins_user_id",
                schema: "consenthub",
                table: "staff_user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_users_normalized_email",
                schema: "consenthub",
                table: "staff_users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "ix_staff_users_normalized_user_name",
                schema: "consenthub",
                table: "staff_users",
                column: "normalized_user_name",
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
                name: "ix_takedown_tasks_open_created_at",
                schema: "consenthub",
                table: "takedown_tasks",
                column: "created_at",
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

            // Database rules that hold whatever code writes, after the tables they guard (see Sql/).
            migrationBuilder.Sql(Sql.ConsentCoreSql.Up);
            migrationBuilder.Sql(Sql.FormVersionFreezeSql.Up);
            migrationBuilder.Sql(Sql.ConsentFactsSql.BaselineUp);
            migrationBuilder.Sql(Sql.PupilSearchSql.Up);
            migrationBuilder.Sql(Sql.CheckNotificationsSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "academy_logos",
                schema: "consenthub");

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
                name: "data_protection_keys",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "follow_up_actions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "form_packs",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "form_wordings",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "outbox_attachments",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "paper_scans",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "posting_pauses",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "pupil_consent_facts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "pupil_contacts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "renewal_asks",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "retention_runs",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "rollover_reports",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "safeguarding_flags",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "signing_lockouts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "staff_role_assignments",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "staff_user_claims",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "staff_user_logins",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "staff_user_tokens",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "takedown_tasks",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "online_submissions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "follow_ups",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "staff_users",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "affiliated_accounts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "purposes",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "signer_links",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "signature_requests",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "contacts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "pupils",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "request_issues",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "academies",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "form_versions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "regions",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "trusts",
                schema: "consenthub");

            // The triggers went with their tables; the functions they called go now.
            migrationBuilder.Sql(Sql.CheckNotificationsSql.Down);
            migrationBuilder.Sql(Sql.PupilSearchSql.Down);
            migrationBuilder.Sql(Sql.ConsentFactsSql.Down);
            migrationBuilder.Sql(Sql.FormVersionFreezeSql.Down);
            migrationBuilder.Sql(Sql.ConsentCoreSql.Down);
        }
    }
}
