using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UrgentDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "informs_of_urgent_decision_id",
                table: "consultations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "urgent_decision_at",
                table: "consultations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "urgent_decision_by",
                table: "consultations",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "urgent_decision_instead_of_id",
                table: "consultations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "urgent_decision_reason",
                table: "consultations",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "informs_of_urgent_decision_id",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_at",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_by",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_instead_of_id",
                table: "consultations");

            migrationBuilder.DropColumn(
                name: "urgent_decision_reason",
                table: "consultations");
        }
    }
}
