using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OrganizationsRevision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "organizations_revision",
                schema: "council",
                table: "bodies",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Every change to an organization row counts its body's revision up, in the same transaction, whoever writes it
            // (a use case, the import, SQL by hand): each node serves a body's organizations from memory while it is unchanged
            // (OrganizationDirectory).
            migrationBuilder.Sql(
                """
                CREATE FUNCTION council.count_organizations_revision() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        UPDATE council.bodies SET organizations_revision = organizations_revision + 1 WHERE id = OLD.body_id;
                    END IF;
                    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.body_id <> OLD.body_id) THEN
                        UPDATE council.bodies SET organizations_revision = organizations_revision + 1 WHERE id = NEW.body_id;
                    END IF;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER organizations_revision AFTER INSERT OR UPDATE OR DELETE ON council.organizations
                    FOR EACH ROW EXECUTE FUNCTION council.count_organizations_revision();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP TRIGGER organizations_revision ON council.organizations;
                DROP FUNCTION council.count_organizations_revision();
                """);

            migrationBuilder.DropColumn(
                name: "organizations_revision",
                schema: "council",
                table: "bodies");
        }
    }
}
