using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaperTextExtractionAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "text_extraction_attempts",
                schema: "council",
                table: "paper_file_contents",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "text_extraction_error",
                schema: "council",
                table: "paper_file_contents",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "text_given_up_at",
                schema: "council",
                table: "paper_file_contents",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "text_extraction_attempts",
                schema: "council",
                table: "paper_file_contents");

            migrationBuilder.DropColumn(
                name: "text_extraction_error",
                schema: "council",
                table: "paper_file_contents");

            migrationBuilder.DropColumn(
                name: "text_given_up_at",
                schema: "council",
                table: "paper_file_contents");
        }
    }
}
