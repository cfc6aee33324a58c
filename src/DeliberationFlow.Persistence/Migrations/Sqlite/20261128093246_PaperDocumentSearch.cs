using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DeliberationFlow.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PaperDocumentSearch : Migration
    {
        // The full-text index of the documents' texts, SQL of our own (keep it by hand when the migrations are regenerated):
        // an FTS5 table (in e_sqlite3, the SQLite that Microsoft.Data.Sqlite brings) whose words are the texts', umlauts and
        // accents folded. It holds no copy of the texts: it reads them through a view when it cuts a snippet. FTS5 numbers
        // its rows with integers, and paper_file_contents has none that a VACUUM keeps (its key is a Guid), so
        // paper_file_search_keys numbers the documents. Triggers keep index and numbers with every insert, change of the
        // text and deletion; SQLite drops them with their table, so a migration that rebuilds paper_file_contents must
        // create them again. The texts stored before are indexed here, and documents whose text was read at upload count
        // as read when they were last changed.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TABLE paper_file_search_keys (id INTEGER PRIMARY KEY, file_id TEXT NOT NULL UNIQUE);");
            migrationBuilder.Sql("""
                CREATE VIEW paper_file_search_content AS
                SELECT k.id AS id, c.text AS text FROM paper_file_search_keys k JOIN paper_file_contents c ON c.file_id = k.file_id;
                """);
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE paper_file_search USING fts5(
                    text, content = 'paper_file_search_content', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER paper_file_contents_search_insert AFTER INSERT ON paper_file_contents BEGIN
                    INSERT INTO paper_file_search_keys (file_id) VALUES (new.file_id);
                    INSERT INTO paper_file_search (rowid, text) SELECT id, new.text FROM paper_file_search_keys WHERE file_id = new.file_id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER paper_file_contents_search_update AFTER UPDATE OF text ON paper_file_contents BEGIN
                    INSERT INTO paper_file_search (paper_file_search, rowid, text) SELECT 'delete', id, old.text FROM paper_file_search_keys WHERE file_id = old.file_id;
                    INSERT INTO paper_file_search (rowid, text) SELECT id, new.text FROM paper_file_search_keys WHERE file_id = new.file_id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER paper_file_contents_search_delete AFTER DELETE ON paper_file_contents BEGIN
                    INSERT INTO paper_file_search (paper_file_search, rowid, text) SELECT 'delete', id, old.text FROM paper_file_search_keys WHERE file_id = old.file_id;
                    DELETE FROM paper_file_search_keys WHERE file_id = old.file_id;
                END;
                """);
            migrationBuilder.Sql("INSERT INTO paper_file_search_keys (file_id) SELECT file_id FROM paper_file_contents;");
            migrationBuilder.Sql("INSERT INTO paper_file_search (paper_file_search) VALUES ('rebuild');");
            migrationBuilder.Sql("""
                UPDATE paper_file_contents SET text_extracted_at = (SELECT f.modified FROM paper_files f WHERE f.id = paper_file_contents.file_id)
                WHERE text <> '' AND text_extracted_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER paper_file_contents_search_delete;");
            migrationBuilder.Sql("DROP TRIGGER paper_file_contents_search_update;");
            migrationBuilder.Sql("DROP TRIGGER paper_file_contents_search_insert;");
            migrationBuilder.Sql("DROP TABLE paper_file_search;");
            migrationBuilder.Sql("DROP VIEW paper_file_search_content;");
            migrationBuilder.Sql("DROP TABLE paper_file_search_keys;");
        }
    }
}
