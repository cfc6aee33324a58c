using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkingDayDeadlines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_urgent",
                schema: "council",
                table: "papers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "submission_deadline_in_working_days",
                schema: "council",
                table: "organizations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "urgent_notice_period_days",
                schema: "council",
                table: "organizations",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "urgent_submission_deadline_days",
                schema: "council",
                table: "organizations",
                type: "integer",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<string>(
                name: "state",
                schema: "council",
                table: "bodies",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "NI");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_urgent",
                schema: "council",
                table: "papers");

            migrationBuilder.DropColumn(
                name: "submission_deadline_in_working_days",
                schema: "council",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "urgent_notice_period_days",
                schema: "council",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "urgent_submission_deadline_days",
                schema: "council",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "state",
                schema: "council",
                table: "bodies");
        }
    }
}
