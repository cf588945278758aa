using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddPostingPauseControls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "end_notice_at",
                schema: "consenthub",
                table: "posting_pauses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lifted_at",
                schema: "consenthub",
                table: "posting_pauses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lifted_by",
                schema: "consenthub",
                table: "posting_pauses",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "start_notice_at",
                schema: "consenthub",
                table: "posting_pauses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_pupil_consent_facts_academy_id_changed_at_pupil_id",
                schema: "consenthub",
                table: "pupil_consent_facts",
                columns: new[] { "academy_id", "changed_at", "pupil_id" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_posting_pauses_scope_id",
                schema: "consenthub",
                table: "posting_pauses",
                sql: "(scope = 'Trust') = (scope_id IS NULL)");

            migrationBuilder.AddCheckConstraint(
                name: "ck_posting_pauses_until_after_from",
                schema: "consenthub",
                table: "posting_pauses",
                sql: "until IS NULL OR until >= \"from\"");

            migrationBuilder.Sql(Sql.PostingPauseControlsSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_pupil_consent_facts_academy_id_changed_at_pupil_id",
                schema: "consenthub",
                table: "pupil_consent_facts");

            migrationBuilder.DropCheckConstraint(
                name: "ck_posting_pauses_scope_id",
                schema: "consenthub",
                table: "posting_pauses");

            migrationBuilder.DropCheckConstraint(
                name: "ck_posting_pauses_until_after_from",
                schema: "consenthub",
                table: "posting_pauses");

            migrationBuilder.DropColumn(
                name: "end_notice_at",
                schema: "consenthub",
                table: "posting_pauses");

            migrationBuilder.DropColumn(
                name: "lifted_at",
                schema: "consenthub",
                table: "posting_pauses");

            migrationBuilder.DropColumn(
                name: "lifted_by",
                schema: "consenthub",
                table: "posting_pauses");

            migrationBuilder.DropColumn(
                name: "start_notice_at",
                schema: "consenthub",
                table: "posting_pauses");
        }
    }
}
