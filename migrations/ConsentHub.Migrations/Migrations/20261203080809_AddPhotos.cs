using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddPhotos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "photo_originals",
                schema: "consenthub",
                columns: table => new
                {
                    photo_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_originals", x => x.photo_id);
                });

            migrationBuilder.CreateTable(
                name: "photo_posts",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    posted_on = table.Column<DateOnly>(type: "date", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_posts", x => x.id);
                    table.ForeignKey(
                        name: "fk_photo_posts_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_photo_posts_affiliated_accounts_account_id",
                        column: x => x.account_id,
                        principalSchema: "consenthub",
                        principalTable: "affiliated_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "photos",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    byte_size = table.Column<int>(type: "integer", nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    height = table.Column<int>(type: "integer", nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photos", x => x.id);
                    table.ForeignKey(
                        name: "fk_photos_academies_academy_id",
                        column: x => x.academy_id,
                        principalSchema: "consenthub",
                        principalTable: "academies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "photo_post_pupils",
                schema: "consenthub",
                columns: table => new
                {
                    post_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_post_pupils", x => new { x.post_id, x.pupil_id });
                    table.ForeignKey(
                        name: "fk_photo_post_pupils_photo_posts_post_id",
                        column: x => x.post_id,
                        principalSchema: "consenthub",
                        principalTable: "photo_posts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_photo_post_pupils_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "photo_exports",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: false),
                    academy_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: true),
                    shown_pupil_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    hidden_pupil_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    hidden_faces = table.Column<int>(type: "integer", nullable: false),
                    exported_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    exported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_exports", x => x.id);
                    table.ForeignKey(
                        name: "fk_photo_exports_affiliated_accounts_account_id",
                        column: x => x.account_id,
                        principalSchema: "consenthub",
                        principalTable: "affiliated_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_photo_exports_photos_photo_id",
                        column: x => x.photo_id,
                        principalSchema: "consenthub",
                        principalTable: "photos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_photo_exports_purposes_purpose_id",
                        column: x => x.purpose_id,
                        principalSchema: "consenthub",
                        principalTable: "purposes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "photo_faces",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    photo_id = table.Column<Guid>(type: "uuid", nullable: false),
                    x = table.Column<int>(type: "integer", nullable: false),
                    y = table.Column<int>(type: "integer", nullable: false),
                    width = table.Column<int>(type: "integer", nullable: false),
                    height = table.Column<int>(type: "integer", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    score = table.Column<float>(type: "real", nullable: true),
                    tag = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    pupil_id = table.Column<Guid>(type: "uuid", nullable: true),
                    tagged_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    tagged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_faces", x => x.id);
                    table.CheckConstraint("ck_photo_faces_box", "x >= 0 AND y >= 0 AND width > 0 AND height > 0");
                    table.CheckConstraint("ck_photo_faces_pupil_only_when_tagged", "pupil_id IS NULL OR tag = 'Pupil'");
                    table.ForeignKey(
                        name: "fk_photo_faces_photos_photo_id",
                        column: x => x.photo_id,
                        principalSchema: "consenthub",
                        principalTable: "photos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_photo_faces_pupils_pupil_id",
                        column: x => x.pupil_id,
                        principalSchema: "consenthub",
                        principalTable: "pupils",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "photo_post_images",
                schema: "consenthub",
                columns: table => new
                {
                    post_id = table.Column<Guid>(type: "uuid", nullable: false),
                    export_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_photo_post_images", x => new { x.post_id, x.export_id });
                    table.ForeignKey(
                        name: "fk_photo_post_images_photo_exports_export_id",
                        column: x => x.export_id,
                        principalSchema: "consenthub",
                        principalTable: "photo_exports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_photo_post_images_photo_posts_post_id",
                        column: x => x.post_id,
                        principalSchema: "consenthub",
                        principalTable: "photo_posts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_photo_exports_account_id",
                schema: "consenthub",
                table: "photo_exports",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_exports_photo_id",
                schema: "consenthub",
                table: "photo_exports",
                column: "photo_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_exports_purpose_id",
                schema: "consenthub",
                table: "photo_exports",
                column: "purpose_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_faces_photo_id",
                schema: "consenthub",
                table: "photo_faces",
                column: "photo_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_faces_pupil_id",
                schema: "consenthub",
                table: "photo_faces",
                column: "pupil_id",
                filter: "pupil_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_photo_originals_academy_id",
                schema: "consenthub",
                table: "photo_originals",
                column: "academy_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_post_images_export_id",
                schema: "consenthub",
                table: "photo_post_images",
                column: "export_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_post_pupils_pupil_id",
                schema: "consenthub",
                table: "photo_post_pupils",
                column: "pupil_id");

            migrationBuilder.CreateIndex(
                name: "ix_photo_posts_academy_id_posted_on",
                schema: "consenthub",
                table: "photo_posts",
                columns: new[] { "academy_id", "posted_on" });

            migrationBuilder.CreateIndex(
                name: "ix_photo_posts_account_id",
                schema: "consenthub",
                table: "photo_posts",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_photos_academy_id_uploaded_at",
                schema: "consenthub",
                table: "photos",
                columns: new[] { "academy_id", "uploaded_at" });

            migrationBuilder.CreateIndex(
                name: "ix_photos_uploaded_at",
                schema: "consenthub",
                table: "photos",
                column: "uploaded_at",
                filter: "published_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "photo_faces",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photo_originals",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photo_post_images",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photo_post_pupils",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photo_exports",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photo_posts",
                schema: "consenthub");

            migrationBuilder.DropTable(
                name: "photos",
                schema: "consenthub");
        }
    }
}
