using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddPhotoDevicesBatchesAndPostTakedowns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_takedown_tasks_account_id_pupil_id_purpose_id",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.AddColumn<Guid>(
                name: "post_id",
                schema: "consenthub",
                table: "takedown_tasks",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "camera_make",
                schema: "consenthub",
                table: "photos",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "camera_model",
                schema: "consenthub",
                table: "photos",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "camera_serial",
                schema: "consenthub",
                table: "photos",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "photo_batches",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    processed = table.Column<int>(type: "integer", nullable: false),
                    refused = table.Column<int>(type: "integer", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_batches", x => x.id);
                    table.CheckConstraint("ck_photo_batches_counts", "processed >= 0 AND refused >= 0 AND processed + refused <= total");
                    table.ForeignKey(
                        name: "fk_photo_batches_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "photo_devices",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    make = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    model = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    serial = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    owner_label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    added_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    removed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_devices", x => x.id);
                    table.CheckConstraint("ck_photo_devices_make_model", "length(btrim(make)) > 0 AND length(btrim(model)) > 0");
                    table.CheckConstraint("ck_photo_devices_serial_or_label", "serial IS NOT NULL OR owner_label IS NOT NULL");
                });

            migrationBuilder.CreateTable(
                name: "photo_batch_items",
                schema: "consenthub",
                columns: table => new
                {
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: true),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    faces = table.Column<int>(type: "integer", nullable: true),
                    message = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_batch_items", x => new { x.batch_id, x.position });
                    table.ForeignKey(
                        name: "fk_photo_batch_items_photo_batches_batch_id",
                        column: x => x.batch_id,
                        principalSchema: "consenthub",
                        principalTable: "photo_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_account_id_pupil_id_purpose_id",
                schema: "consenthub",
                table: "takedown_tasks",
                columns: new[] { "account_id", "pupil_id", "purpose_id" },
                unique: true,
                filter: "done_at IS NULL AND post_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_post_id_pupil_id",
                schema: "consenthub",
                table: "takedown_tasks",
                columns: new[] { "post_id", "pupil_id" },
                unique: true,
                filter: "post_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_photo_batch_items_photo_id",
                schema: "consenthub",
                table: "photo_batch_items",
                column: "photo_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_photo_batches_academy_id_created_at",
                schema: "consenthub",
                table: "photo_batches",
                columns: new[] { "academy_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_photo_devices_make_model_serial",
                schema: "consenthub",
                table: "photo_devices",
                columns: new[] { "make", "model", "serial" },
                unique: true,
                filter: "removed_at IS NULL AND serial IS NOT NULL");

            migrationBuilder.AddForeignKey(
                name: "fk_takedown_tasks_photo_posts_post_id",
                schema: "consenthub",
                table: "takedown_tasks",
                column: "post_id",
                principalSchema: "consenthub",
                principalTable: "photo_posts",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_takedown_tasks_photo_posts_post_id",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropTable(
                name: "photo_batch_items",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photo_devices",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photo_batches",
                schema: "consenthub");

            migrationBuilder.DropIndex(
                name: "ix_takedown_tasks_account_id_pupil_id_purpose_id",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropIndex(
                name: "ix_takedown_tasks_post_id_pupil_id",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropColumn(
                name: "post_id",
                schema: "consenthub",
                table: "takedown_tasks");

            migrationBuilder.DropColumn(
                name: "camera_make",
                schema: "consenthub",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "camera_model",
                schema: "consenthub",
                table: "photos");

            migrationBuilder.DropColumn(
                name: "camera_serial",
                schema: "consenthub",
                table: "photos");

            migrationBuilder.CreateIndex(
                name: "ix_takedown_tasks_account_id_pupil_id_purpose_id",
                schema: "consenthub",
                table: "takedown_tasks",
                columns: new[] { "account_id", "pupil_id", "purpose_id" },
                unique: true,
                filter: "done_at IS NULL");
        }
    }
}
