using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaperFileContentStorage : Migration
    {
        // The documents' bytes out of line and uncompressed (STORAGE EXTERNAL instead of the default EXTENDED). PDFs,
        // images and office files (zip) are compressed already: PostgreSQL would try to compress every upload of up to
        // 20 MB again, in vain, before storing it in its TOAST table, and a download could not read a part of it without
        // decompressing the whole. The text beside the bytes keeps the default, as text compresses well. Only for
        // PostgreSQL: SQLite has no such setting. As SQL of our own, as EF Core has no model setting for it (as in
        // Lz4Compression); it changes how new values are stored, existing rows stay as they are until rewritten.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE council.paper_file_contents ALTER COLUMN content SET STORAGE EXTERNAL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE council.paper_file_contents ALTER COLUMN content SET STORAGE EXTENDED;");
        }
    }
}
