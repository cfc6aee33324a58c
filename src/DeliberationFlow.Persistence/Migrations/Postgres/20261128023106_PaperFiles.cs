using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaperFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "paper_files",
                schema: "council",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    body_id = table.Column<Guid>(type: "uuid", nullable: false),
                    paper_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    mime_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    sha512_checksum = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_paper_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_paper_files_bodies_body_id",
                        column: x => x.body_id,
                        principalSchema: "council",
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_paper_files_papers_paper_id",
                        column: x => x.paper_id,
                        principalSchema: "council",
                        principalTable: "papers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "paper_file_contents",
                schema: "council",
                columns: table => new
                {
                    file_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_paper_file_contents", x => x.file_id);
                    table.ForeignKey(
                        name: "fk_paper_file_contents_paper_files_file_id",
                        column: x => x.file_id,
                        principalSchema: "council",
                        principalTable: "paper_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_paper_files_body_id_modified",
                schema: "council",
                table: "paper_files",
                columns: new[] { "body_id", "modified" });

            migrationBuilder.CreateIndex(
                name: "ix_paper_files_main_file",
                schema: "council",
                table: "paper_files",
                column: "paper_id",
                unique: true,
                filter: "role = 'Main' AND NOT deleted");

            migrationBuilder.CreateIndex(
                name: "ix_paper_files_paper_id",
                schema: "council",
                table: "paper_files",
                column: "paper_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "paper_file_contents",
                schema: "council");

            migrationBuilder.DropTable(
                name: "paper_files",
                schema: "council");
        }
    }
}
