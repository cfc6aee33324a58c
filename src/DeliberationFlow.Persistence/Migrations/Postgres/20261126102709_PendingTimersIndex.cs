using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PendingTimersIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_timers_status_due_at",
                schema: "engine",
                table: "timers");

            migrationBuilder.CreateIndex(
                name: "ix_timers_due_at_pending",
                schema: "engine",
                table: "timers",
                column: "due_at",
                filter: "status = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_timers_due_at_pending",
                schema: "engine",
                table: "timers");

            migrationBuilder.CreateIndex(
                name: "ix_timers_status_due_at",
                schema: "engine",
                table: "timers",
                columns: new[] { "status", "due_at" });
        }
    }
}
