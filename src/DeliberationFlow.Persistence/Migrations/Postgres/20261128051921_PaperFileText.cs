using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaperFileText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "text",
                schema: "council",
                table: "paper_file_contents",
                type: "text",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "text",
                schema: "council",
                table: "paper_file_contents");
        }
    }
}
