using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaperFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "paper_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    body_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    paper_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    mime_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    sha512_checksum = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    uploaded_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created = table.Column<long>(type: "INTEGER", nullable: false),
                    modified = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_paper_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_paper_files_bodies_body_id",
                        column: x => x.body_id,
                        principalTable: "bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_paper_files_papers_paper_id",
                        column: x => x.paper_id,
                        principalTable: "papers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "paper_file_contents",
                columns: table => new
                {
                    file_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_paper_file_contents", x => x.file_id);
                    table.ForeignKey(
                        name: "fk_paper_file_contents_paper_files_file_id",
                        column: x => x.file_id,
                        principalTable: "paper_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_paper_files_body_id_modified",
                table: "paper_files",
                columns: new[] { "body_id", "modified" });

            migrationBuilder.CreateIndex(
                name: "ix_paper_files_main_file",
                table: "paper_files",
                column: "paper_id",
                unique: true,
                filter: "role = 'Main' AND NOT deleted");

            migrationBuilder.CreateIndex(
                name: "ix_paper_files_paper_id",
                table: "paper_files",
                column: "paper_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "paper_file_contents");

            migrationBuilder.DropTable(
                name: "paper_files");
        }
    }
}
