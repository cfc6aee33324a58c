using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaperFileText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "text",
                table: "paper_file_contents",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "text",
                table: "paper_file_contents");
        }
    }
}
