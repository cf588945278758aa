using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddTranslationReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "translation_reviews",
                schema: "consenthub",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    form_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reviewed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_translation_reviews", x => x.id);
                    table.ForeignKey(
                        name: "fk_translation_reviews_form_versions_form_version_id",
                        column: x => x.form_version_id,
                        principalSchema: "consenthub",
                        principalTable: "form_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_translation_reviews_form_version_id_language",
                schema: "consenthub",
                table: "translation_reviews",
                columns: new[] { "form_version_id", "language" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "translation_reviews",
                schema: "consenthub");
        }
    }
}
