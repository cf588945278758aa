using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <summary>
    /// The signing POST's writes made cheaper, with the same results: the check read model is no longer rebuilt when
    /// a request only changes status (its facts say whether a pupil has been asked, not how the request stands), and
    /// outbox attachments (PDFs, already compressed) are stored without PostgreSQL trying to compress them again.
    /// </summary>
    public partial class LeanerSigningWrites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.ConsentFactsSql.TriggerFunction);
            migrationBuilder.Sql(Sql.ConsentFactsSql.AttachmentStorageUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The trigger function stays: it refreshes every pupil the earlier one did whose facts could change.
            migrationBuilder.Sql(Sql.ConsentFactsSql.AttachmentStorageDown);
        }
    }
}
