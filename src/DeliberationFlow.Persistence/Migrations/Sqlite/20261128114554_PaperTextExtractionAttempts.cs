using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaperTextExtractionAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "text_extraction_attempts",
                table: "paper_file_contents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "text_extraction_error",
                table: "paper_file_contents",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "text_given_up_at",
                table: "paper_file_contents",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Written by hand, keep on regeneration: EF's DropColumn rebuilds the table on SQLite, which breaks the view
            // paper_file_search_content and drops the FTS triggers of PaperDocumentSearch; SQLite drops a column itself.
            migrationBuilder.Sql("ALTER TABLE paper_file_contents DROP COLUMN text_extraction_attempts;");
            migrationBuilder.Sql("ALTER TABLE paper_file_contents DROP COLUMN text_extraction_error;");
            migrationBuilder.Sql("ALTER TABLE paper_file_contents DROP COLUMN text_given_up_at;");
        }
    }
}
