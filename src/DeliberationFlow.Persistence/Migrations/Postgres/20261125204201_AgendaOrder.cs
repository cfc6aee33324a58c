using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AgendaOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "agenda_order",
                schema: "council",
                table: "consultations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "late_addition",
                schema: "council",
                table: "consultations",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "agenda_order",
                schema: "council",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "late_addition",
                schema: "council",
                table: "consultations");
        }
    }
}
