using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Circulations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "decided_by_circulation",
                schema: "council",
                table: "consultations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "circulations",
                schema: "council",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    body_id = table.Column<Guid>(type: "uuid", nullable: false),
                    paper_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consultation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    resolution_text = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    end_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_circulations", x => x.id);
                    table.ForeignKey(
                        name: "fk_circulations_bodies_body_id",
                        column: x => x.body_id,
                        principalSchema: "council",
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_consultations_consultation_id",
                        column: x => x.consultation_id,
                        principalSchema: "council",
                        principalTable: "consultations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_organizations_organization_id",
                        column: x => x.organization_id,
                        principalSchema: "council",
                        principalTable: "organizations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_circulations_papers_paper_id",
                        column: x => x.paper_id,
                        principalSchema: "council",
                        principalTable: "papers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "circulation_votes",
                schema: "council",
                columns: table => new
                {
                    circulation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    person_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    answer = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answered_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_circulation_votes", x => new { x.circulation_id, x.person_id });
                    table.ForeignKey(
                        name: "fk_circulation_votes_circulations_circulation_id",
                        column: x => x.circulation_id,
                        principalSchema: "council",
                        principalTable: "circulations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_circulation_votes_persons_person_id",
                        column: x => x.person_id,
                        principalSchema: "council",
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_circulation_votes_person_id",
                schema: "council",
                table: "circulation_votes",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_body_id",
                schema: "council",
                table: "circulations",
                column: "body_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_consultation_id",
                schema: "council",
                table: "circulations",
                column: "consultation_id");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_open",
                schema: "council",
                table: "circulations",
                column: "consultation_id",
                unique: true,
                filter: "status = 'Open'");

            migrationBuilder.CreateIndex(
                name: "ix_circulations_organization_id_status",
                schema: "council",
                table: "circulations",
                columns: new[] { "organization_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_circulations_paper_id",
                schema: "council",
                table: "circulations",
                column: "paper_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "circulation_votes",
                schema: "council");

            migrationBuilder.DropTable(
                name: "circulations",
                schema: "council");

            migrationBuilder.DropColumn(
                name: "decided_by_circulation",
                schema: "council",
                table: "consultations");
        }
    }
}
