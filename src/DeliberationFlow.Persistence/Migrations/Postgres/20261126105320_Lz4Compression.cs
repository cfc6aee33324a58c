using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Lz4Compression : Migration
    {
        // As SQL of our own: the statement EF Core generates for a column's compression has no closing semicolon, which
        // breaks the idempotent deployment script (deploy/postgres/migrate.sql), where it stands inside a DO block.
        private static readonly (string Table, string Column)[] Columns =
        [
            ("council.outbox_messages", "text_body"),
            ("council.outbox_messages", "html_body"),
            ("council.outbox_messages", "attachment_content"),
            ("council.idempotency_records", "response_json"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column) in Columns)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column) in Columns)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION DEFAULT;");
            }
        }
    }
}
