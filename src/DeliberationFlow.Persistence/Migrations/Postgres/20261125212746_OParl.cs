using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OParl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                schema: "council",
                table: "persons",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                schema: "council",
                table: "papers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<List<Guid>>(
                name: "related_paper_ids",
                schema: "council",
                table: "papers",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'::uuid[]");

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                schema: "council",
                table: "organizations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                schema: "council",
                table: "memberships",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                schema: "council",
                table: "meetings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "deleted",
                schema: "council",
                table: "consultations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "agenda_items",
                schema: "council",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    body_id = table.Column<Guid>(type: "uuid", nullable: false),
                    meeting_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consultation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    number = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    order = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    @public = table.Column<bool>(name: "public", type: "boolean", nullable: false),
                    result_text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    resolution_text = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                    start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agenda_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_agenda_items_bodies_body_id",
                        column: x => x.body_id,
                        principalSchema: "council",
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_agenda_items_consultations_consultation_id",
                        column: x => x.consultation_id,
                        principalSchema: "council",
                        principalTable: "consultations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_agenda_items_meetings_meeting_id",
                        column: x => x.meeting_id,
                        principalSchema: "council",
                        principalTable: "meetings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "legislative_terms",
                schema: "council",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    body_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    start_date = table.Column<DateOnly>(type: "date", nullable: true),
                    end_date = table.Column<DateOnly>(type: "date", nullable: true),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_legislative_terms", x => x.id);
                    table.ForeignKey(
                        name: "fk_legislative_terms_bodies_body_id",
                        column: x => x.body_id,
                        principalSchema: "council",
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "oparl_source_links",
                schema: "council",
                columns: table => new
                {
                    body_id = table.Column<Guid>(type: "uuid", nullable: false),
                    external_id = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    entity_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    imported = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_oparl_source_links", x => new { x.body_id, x.external_id });
                    table.ForeignKey(
                        name: "fk_oparl_source_links_bodies_body_id",
                        column: x => x.body_id,
                        principalSchema: "council",
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agenda_items_body_id",
                schema: "council",
                table: "agenda_items",
                column: "body_id");

            migrationBuilder.CreateIndex(
                name: "ix_agenda_items_consultation_id",
                schema: "council",
                table: "agenda_items",
                column: "consultation_id");

            migrationBuilder.CreateIndex(
                name: "ix_agenda_items_meeting_id_order",
                schema: "council",
                table: "agenda_items",
                columns: new[] { "meeting_id", "order" });

            migrationBuilder.CreateIndex(
                name: "ix_legislative_terms_body_id",
                schema: "council",
                table: "legislative_terms",
                column: "body_id");

            migrationBuilder.CreateIndex(
                name: "ix_oparl_source_links_kind_entity_id",
                schema: "council",
                table: "oparl_source_links",
                columns: new[] { "kind", "entity_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agenda_items",
                schema: "council");

            migrationBuilder.DropTable(
                name: "legislative_terms",
                schema: "council");

            migrationBuilder.DropTable(
                name: "oparl_source_links",
                schema: "council");

            migrationBuilder.DropColumn(
                name: "deleted",
                schema: "council",
                table: "persons");

            migrationBuilder.DropColumn(
                name: "deleted",
                schema: "council",
                table: "papers");

            migrationBuilder.DropColumn(
                name: "related_paper_ids",
                schema: "council",
                table: "papers");

            migrationBuilder.DropColumn(
                name: "deleted",
                schema: "council",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "deleted",
                schema: "council",
                table: "memberships");

            migrationBuilder.DropColumn(
                name: "deleted",
                schema: "council",
                table: "meetings");

            migrationBuilder.DropColumn(
                name: "deleted",
                schema: "council",
                table: "consultations");
        }
    }
}
