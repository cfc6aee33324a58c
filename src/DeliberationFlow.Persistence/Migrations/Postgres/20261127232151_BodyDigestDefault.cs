using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BodyDigestDefault : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<bool>(
                name: "digest",
                schema: "council",
                table: "notification_preferences",
                type: "boolean",
                nullable: true,
                oldClrType: typeof(bool),
                oldType: "boolean");

            // True: every body keeps what its members got before (one message per meeting); the preferences already
            // stored keep their value as chosen, as nothing tells a choice from the old default.
            migrationBuilder.AddColumn<bool>(
                name: "digest_default",
                schema: "council",
                table: "bodies",
                type: "boolean",
                nullable: false,
                defaultValue: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "digest_default",
                schema: "council",
                table: "bodies");

            migrationBuilder.AlterColumn<bool>(
                name: "digest",
                schema: "council",
                table: "notification_preferences",
                type: "boolean",
                nullable: false,
                defaultValue: true,
                oldClrType: typeof(bool),
                oldType: "boolean",
                oldNullable: true);
        }
    }
}
