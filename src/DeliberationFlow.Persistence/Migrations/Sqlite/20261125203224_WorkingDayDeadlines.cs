using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkingDayDeadlines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_urgent",
                table: "papers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "submission_deadline_in_working_days",
                table: "organizations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "urgent_notice_period_days",
                table: "organizations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "urgent_submission_deadline_days",
                table: "organizations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<string>(
                name: "state",
                table: "bodies",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "NI");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_urgent",
                table: "papers");

            migrationBuilder.DropColumn(
                name: "submission_deadline_in_working_days",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "urgent_notice_period_days",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "urgent_submission_deadline_days",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "state",
                table: "bodies");
        }
    }
}
