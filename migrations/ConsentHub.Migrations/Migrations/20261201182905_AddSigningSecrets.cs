using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ConsentHub.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AddSigningSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                schema: "consenthub",
                table: "signature_requests",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "short_code",
                schema: "consenthub",
                table: "signature_requests",
                type: "character(8)",
                fixedLength: true,
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<byte[]>(
                name: "token_hash",
                schema: "consenthub",
                table: "signature_requests",
                type: "bytea",
                maxLength: 32,
                nullable: false,
                defaultValue: new byte[0]);

            // Requests issued before links existed get secrets nobody holds (office staff send a new link), so the
            // unique indexes below hold.
            migrationBuilder.Sql("""
                UPDATE consenthub.signature_requests r
                SET token_hash = s.h,
                    short_code = (SELECT string_agg(substr('ACDEFGHJKMNPQRTWXY234679', 1 + get_byte(s.h, i) % 24, 1), '' ORDER BY i)
                                  FROM generate_series(0, 7) i),
                    expires_at = coalesce((r.deadline + 14)::timestamptz, r.issued_at + interval '60 days')
                FROM (SELECT id, sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())) AS h
                      FROM consenthub.signature_requests) s
                WHERE s.id = r.id;
                """);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_signature_requests_short_code",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropIndex(
                name: "ix_signature_requests_token_hash",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropColumn(
                name: "expires_at",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropColumn(
                name: "short_code",
                schema: "consenthub",
                table: "signature_requests");

            migrationBuilder.DropColumn(
                name: "token_hash",
                schema: "consenthub",
                table: "signature_requests");
        }
    }
}
