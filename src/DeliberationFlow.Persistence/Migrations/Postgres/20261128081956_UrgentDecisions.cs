using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UrgentDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "informs_of_urgent_decision_id",
                schema: "council",
                table: "consultations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "urgent_decision_at",
                schema: "council",
                table: "consultations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "urgent_decision_by",
                schema: "council",
                table: "consultations",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "urgent_decision_instead_of_id",
                schema: "council",
                table: "consultations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "urgent_decision_reason",
                schema: "council",
                table: "consultations",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "informs_of_urgent_decision_id",
                schema: "council",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_at",
                schema: "council",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_by",
                schema: "council",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_instead_of_id",
                schema: "council",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_reason",
                schema: "council",
                table: "consultations");
        }
    }
}
