using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaperFileTextExtracted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "text_extracted_at",
                schema: "council",
                table: "paper_file_contents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_paper_file_contents_text_pending",
                schema: "council",
                table: "paper_file_contents",
                column: "file_id",
                filter: "text_extracted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_paper_file_contents_text_pending",
                schema: "council",
                table: "paper_file_contents");

            migrationBuilder.DropColumn(
                name: "text_extracted_at",
                schema: "council",
                table: "paper_file_contents");
        }
    }
}
