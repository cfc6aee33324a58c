using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BodyDigestDefault : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // True for the rows stored so far: each keeps its value as chosen, as nothing tells a choice from the old
            // default. A user saved from now on follows the body until choosing.
            migrationBuilder.AddColumn<bool>(
                name: "digest_chosen",
                table: "notification_preferences",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            // True: every body keeps what its members got before (one message per meeting).
            migrationBuilder.AddColumn<bool>(
                name: "digest_default",
                table: "bodies",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "digest_chosen",
                table: "notification_preferences");

            migrationBuilder.DropColumn(
                name: "digest_default",
                table: "bodies");
        }
    }
}
