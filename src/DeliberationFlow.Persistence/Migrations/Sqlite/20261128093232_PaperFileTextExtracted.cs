using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaperFileTextExtracted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "text_extracted_at",
                table: "paper_file_contents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_paper_file_contents_text_pending",
                table: "paper_file_contents",
                column: "file_id",
                filter: "text_extracted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_paper_file_contents_text_pending",
                table: "paper_file_contents");

            migrationBuilder.DropColumn(
                name: "text_extracted_at",
                table: "paper_file_contents");
        }
    }
}
