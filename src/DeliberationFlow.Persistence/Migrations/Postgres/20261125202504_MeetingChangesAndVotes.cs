using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MeetingChangesAndVotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "change_reason",
                schema: "council",
                table: "meetings",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "abstentions",
                schema: "council",
                table: "consultations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "votes_against",
                schema: "council",
                table: "consultations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "votes_for",
                schema: "council",
                table: "consultations",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "change_reason",
                schema: "council",
                table: "meetings");

            migrationBuilder.DropColumn(
                name: "abstentions",
                schema: "council",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "votes_against",
                schema: "council",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "votes_for",
                schema: "council",
                table: "consultations");
        }
    }
}
