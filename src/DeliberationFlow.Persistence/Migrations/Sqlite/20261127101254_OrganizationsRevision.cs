using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrganizationsRevision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "organizations_revision",
                table: "bodies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Every change to an organization row counts its body's revision up, in the same transaction, whoever writes it:
            // each node serves a body's organizations from memory while it is unchanged (OrganizationDirectory).
            migrationBuilder.Sql(
                """
                CREATE TRIGGER organizations_revision_insert AFTER INSERT ON organizations
                BEGIN
                    UPDATE bodies SET organizations_revision = organizations_revision + 1 WHERE id = NEW.body_id;
                END;
                """);
            migrationBuilder.Sql(
                """
                CREATE TRIGGER organizations_revision_update AFTER UPDATE ON organizations
                BEGIN
                    UPDATE bodies SET organizations_revision = organizations_revision + 1 WHERE id IN (OLD.body_id, NEW.body_id);
                END;
                """);
            migrationBuilder.Sql(
                """
                CREATE TRIGGER organizations_revision_delete AFTER DELETE ON organizations
                BEGIN
                    UPDATE bodies SET organizations_revision = organizations_revision + 1 WHERE id = OLD.body_id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER organizations_revision_insert;");
            migrationBuilder.Sql("DROP TRIGGER organizations_revision_update;");
            migrationBuilder.Sql("DROP TRIGGER organizations_revision_delete;");

            migrationBuilder.DropColumn(
                name: "organizations_revision",
                table: "bodies");
        }
    }
}
