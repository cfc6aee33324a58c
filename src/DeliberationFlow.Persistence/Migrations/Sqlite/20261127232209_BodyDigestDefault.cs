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
            migrationBuilder.AlterColumn<bool>(
                name: "digest",
                table: "notification_preferences",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            // True: every body keeps what its members got before (one message per meeting); the preferences already
            // stored keep their value as chosen, as nothing tells a choice from the old default.
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
                name: "digest_default",
                table: "bodies");

            migrationBuilder.AlterColumn<bool>(
                name: "digest",
                table: "notification_preferences",
                type: "INTEGER",
                nullable: false,
                defaultValue: true,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
