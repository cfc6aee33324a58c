using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PendingTimersIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_timers_status_due_at",
                table: "timers");

            migrationBuilder.CreateIndex(
                name: "ix_timers_due_at_pending",
                table: "timers",
                column: "due_at",
                filter: "status = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_timers_due_at_pending",
                table: "timers");

            migrationBuilder.CreateIndex(
                name: "ix_timers_status_due_at",
                table: "timers",
                columns: new[] { "status", "due_at" });
        }
    }
}
