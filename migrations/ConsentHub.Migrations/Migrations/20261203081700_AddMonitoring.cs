using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddMonitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "board_meetings",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    region_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    report_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_board_meetings", x => x.id);
                    table.ForeignKey(
                        name: "fk_board_meetings_regions_region_id",
                        column: x => x.region_id,
                        principalSchema: "consenthub",
                        principalTable: "regions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "coverage_snapshots",
                schema: "consenthub",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pupils = table.Column<int>(type: "integer", nullable: false),
                    allowed = table.Column<int>(type: "integer", nullable: false),
                    not_allowed = table.Column<int>(type: "integer", nullable: false),
                    pending = table.Column<int>(type: "integer", nullable: false),
                    not_requested = table.Column<int>(type: "integer", nullable: false),
                    classes = table.Column<int>(type: "integer", nullable: false),
                    classes_all_allowed = table.Column<int>(type: "integer", nullable: false),
                    taken_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_coverage_snapshots", x => new { x.day, x.academy_id, x.purpose_id });
                    table.CheckConstraint("ck_coverage_snapshots_sum", "allowed + not_allowed + pending + not_requested = pupils");
                    table.ForeignKey(
                        name: "fk_coverage_snapshots_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_coverage_snapshots_purposes_purpose_id",
                        column: x => x.purpose_id,
                        principalSchema: "consenthub",
                        principalTable: "purposes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "monitoring_reports",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    region_id = table.Column<Guid>(type: "uuid", nullable: true),
                    from = table.Column<DateOnly>(type: "date", nullable: false),
                    to = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    progress = table.Column<int>(type: "integer", nullable: false),
                    pdf = table.Column<byte[]>(type: "bytea", nullable: true),
                    pages = table.Column<int>(type: "integer", nullable: false),
                    requested_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monitoring_reports", x => x.id);
                    table.ForeignKey(
                        name: "fk_monitoring_reports_regions_region_id",
                        column: x => x.region_id,
                        principalSchema: "consenthub",
                        principalTable: "regions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_academy_id_created_at",
                schema: "consenthub",
                table: "takedown_tasks",
                columns: new[] { "academy_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_signature_requests_academy_id_issued_at",
                schema: "consenthub",
                table: "signature_requests",
                columns: new[] { "academy_id", "issued_at" });

            migrationBuilder.CreateIndex(
                name: "ix_board_meetings_region_id_date",
                schema: "consenthub",
                table: "board_meetings",
                columns: new[] { "region_id", "date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_coverage_snapshots_academy_id_day",
                schema: "consenthub",
                table: "coverage_snapshots",
                columns: new[] { "academy_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_coverage_snapshots_purpose_id",
                schema: "consenthub",
                table: "coverage_snapshots",
                column: "purpose_id");

            migrationBuilder.CreateIndex(
                name: "ix_monitoring_reports_region_id_requested_at",
                schema: "consenthub",
                table: "monitoring_reports",
                columns: new[] { "region_id", "requested_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "board_meetings",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "coverage_snapshots",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "monitoring_reports",
                schema: "consenthub");

            migrationBuilder.DropIndex(
                name: "ix_takedown_tasks_academy_id_created_at",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropIndex(
                name: "ix_signature_requests_academy_id_issued_at",
                schema: "consenthub",
                table: "signature_requests");
        }
    }
}
