using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeetingChangesAndVotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "change_reason",
                table: "meetings",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "abstentions",
                table: "consultations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "votes_against",
                table: "consultations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "votes_for",
                table: "consultations",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "change_reason",
                table: "meetings");

            migrationBuilder.DropColumn(
                name: "abstentions",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "votes_against",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "votes_for",
                table: "consultations");
        }
    }
}
