using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaperDocumentSearch : Migration
    {
        // The full-text index of the documents' texts, SQL of our own (EF Core's model has no place for it; keep it by hand
        // when the migrations are regenerated). The column text_search holds to_tsvector('german', text), so the search
        // compares German stems ("Strategien" and "Strategie": 'strategi'); a trigger keeps it, as a generated column would
        // have rewritten the whole table, documents' bytes included, when added. PostgreSQL refuses a tsvector over 1 MB,
        // which a text of 1,000,000 characters of distinct words could make: such a text is indexed by its first 200,000
        // characters (at most some 0.5 MB of tsvector) rather than its upload refused. The texts stored before are indexed
        // here, and documents whose text was read at upload count as read when they were last changed.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE council.paper_file_contents ADD COLUMN text_search tsvector;");
            migrationBuilder.Sql("""
                CREATE FUNCTION council.paper_file_contents_text_search() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    BEGIN
                        NEW.text_search := to_tsvector('german', NEW.text);
                    EXCEPTION WHEN program_limit_exceeded THEN
                        NEW.text_search := to_tsvector('german', left(NEW.text, 200000));
                    END;
                    RETURN NEW;
                END
                $body$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER paper_file_contents_text_search BEFORE INSERT OR UPDATE OF text ON council.paper_file_contents
                FOR EACH ROW EXECUTE FUNCTION council.paper_file_contents_text_search();
                """);
            migrationBuilder.Sql("UPDATE council.paper_file_contents SET text = text WHERE text <> '';");
            migrationBuilder.Sql("CREATE INDEX ix_paper_file_contents_text_search ON council.paper_file_contents USING gin (text_search);");
            migrationBuilder.Sql("""
                UPDATE council.paper_file_contents c SET text_extracted_at = f.modified
                FROM council.paper_files f WHERE f.id = c.file_id AND c.text <> '' AND c.text_extracted_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX council.ix_paper_file_contents_text_search;");
            migrationBuilder.Sql("DROP TRIGGER paper_file_contents_text_search ON council.paper_file_contents;");
            migrationBuilder.Sql("DROP FUNCTION council.paper_file_contents_text_search();");
            migrationBuilder.Sql("ALTER TABLE council.paper_file_contents DROP COLUMN text_search;");
        }
    }
}
