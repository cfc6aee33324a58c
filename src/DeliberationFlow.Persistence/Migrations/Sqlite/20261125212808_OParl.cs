using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OParl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                table: "persons",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                table: "papers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "related_paper_ids",
                table: "papers",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                table: "organizations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                table: "memberships",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                table: "meetings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                table: "consultations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "agenda_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    body_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    meeting_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    consultation_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    number = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    @public = table.Column<bool>(name: "public", type: "INTEGER", nullable: false),
                    result_text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    resolution_text = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    start = table.Column<long>(type: "INTEGER", nullable: true),
                    end = table.Column<long>(type: "INTEGER", nullable: true),
                    created = table.Column<long>(type: "INTEGER", nullable: false),
                    modified = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_agenda_items_bodies_body_id",
                        column: x => x.body_id,
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_agenda_items_consultations_consultation_id",
                        column: x => x.consultation_id,
                        principalTable: "consultations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_agenda_items_meetings_meeting_id",
                        column: x => x.meeting_id,
                        principalTable: "meetings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "legislative_terms",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    body_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    start_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    end_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    created = table.Column<long>(type: "INTEGER", nullable: false),
                    modified = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_legislative_terms", x => x.id);
                    table.ForeignKey(
                        name: "fk_legislative_terms_bodies_body_id",
                        column: x => x.body_id,
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "oparl_source_links",
                columns: table => new
                {
                    body_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    entity_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    source_modified = table.Column<long>(type: "INTEGER", nullable: true),
                    imported = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_oparl_source_links", x => new { x.body_id, x.external_id });
                    table.ForeignKey(
                        name: "fk_oparl_source_links_bodies_body_id",
                        column: x => x.body_id,
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agenda_items_body_id",
                table: "agenda_items",
                column: "body_id");

            migrationBuilder.CreateIndex(
                name: "ix_agenda_items_consultation_id",
                table: "agenda_items",
                column: "consultation_id");

            migrationBuilder.CreateIndex(
                name: "ix_agenda_items_meeting_id_order",
                table: "agenda_items",
                columns: new[] { "meeting_id", "order" });

            migrationBuilder.CreateIndex(
                name: "ix_legislative_terms_body_id",
                table: "legislative_terms",
                column: "body_id");

            migrationBuilder.CreateIndex(
                name: "ix_oparl_source_links_kind_entity_id",
                table: "oparl_source_links",
                columns: new[] { "kind", "entity_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agenda_items");

            migrationBuilder.DropTable(
                name: "legislative_terms");

            migrationBuilder.DropTable(
                name: "oparl_source_links");

            migrationBuilder.DropColumn(
                name: "deleted",
                table: "persons");

            migrationBuilder.DropColumn(
                name: "deleted",
                table: "papers");

            migrationBuilder.DropColumn(
                name: "related_paper_ids",
                table: "papers");

            migrationBuilder.DropColumn(
                name: "deleted",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "deleted",
                table: "memberships");

            migrationBuilder.DropColumn(
                name: "deleted",
                table: "meetings");

            migrationBuilder.DropColumn(
                name: "deleted",
                table: "consultations");
        }
    }
}
