using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Circulations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "decided_by_circulation",
                table: "consultations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "circulations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    body_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    paper_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    consultation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    organization_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    resolution_text = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    deadline = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    started_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true),
                    ended_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    end_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_circulations", x => x.id);
                    table.ForeignKey(
                        name: "fk_circulations_bodies_body_id",
                        column: x => x.body_id,
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_consultations_consultation_id",
                        column: x => x.consultation_id,
                        principalTable: "consultations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_papers_paper_id",
                        column: x => x.paper_id,
                        principalTable: "papers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "circulation_votes",
                columns: table => new
                {
                    circulation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    person_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    answer = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    answered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    answered_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_circulation_votes", x => new { x.circulation_id, x.person_id });
                    table.ForeignKey(
                        name: "fk_circulation_votes_circulations_circulation_id",
                        column: x => x.circulation_id,
                        principalTable: "circulations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_circulation_votes_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_circulation_votes_person_id",
                table: "circulation_votes",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_body_id",
                table: "circulations",
                column: "body_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_consultation_id",
                table: "circulations",
                column: "consultation_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_open",
                table: "circulations",
                column: "consultation_id",
                unique: true,
                filter: "status = 'Open'");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_organization_id_status",
                table: "circulations",
                columns: new[] { "organization_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_circulations_paper_id",
                table: "circulations",
                column: "paper_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "circulation_votes");

            migrationBuilder.DropTable(
                name: "circulations");

            migrationBuilder.DropColumn(
                name: "decided_by_circulation",
                table: "consultations");
        }
    }
}
