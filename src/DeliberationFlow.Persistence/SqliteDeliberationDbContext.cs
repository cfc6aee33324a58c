using DeliberationFlow.Council.Papers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DeliberationFlow.Persistence;

public sealed class SqliteDeliberationDbContext(DbContextOptions<SqliteDeliberationDbContext> options) : DeliberationDbContext(options)
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    protected override bool SupportsSchemas => false;

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint } sqlite
        && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey;

    // The FTS5 table paper_file_search (migration PaperDocumentSearch) indexes the texts word by word, umlauts and accents
    // folded; its rows are numbered by paper_file_search_keys, as paper_file_contents has no integer key that a VACUUM
    // keeps. Each word is quoted (letters and digits only, DocumentTextSearch) and a prefix ("strat"* finds "Strategien").
    public override IQueryable<Guid> PapersWithDocumentText(DocumentTextSearch search) => Database.SqlQuery<Guid>($"""
        SELECT f.paper_id AS "Value"
        FROM paper_file_search s
        JOIN paper_file_search_keys k ON k.id = s.rowid
        JOIN paper_files f ON f.id = k.file_id
        WHERE paper_file_search MATCH {FtsQuery(search)} AND NOT f.deleted
        """);

    // snippet() works only in the select that scans the FTS5 table for the MATCH itself, not beside a window function:
    // the document of each paper is chosen in a subquery, and the outer scan cuts the passage of just those.
    public override Task<IReadOnlyList<DocumentTextHit>> DocumentTextHitsAsync(IReadOnlyCollection<Guid> paperIds, DocumentTextSearch search, CancellationToken cancellationToken) =>
        paperIds.Count == 0 ? Task.FromResult<IReadOnlyList<DocumentTextHit>>([]) : ReadDocumentTextHitsAsync("""
            SELECT f.paper_id, f.id, f.file_name, snippet(paper_file_search, 0, char(2), char(3), '…', 24)
            FROM paper_file_search
            JOIN paper_file_search_keys k ON k.id = paper_file_search.rowid
            JOIN paper_files f ON f.id = k.file_id
            WHERE paper_file_search MATCH @query
              AND paper_file_search.rowid IN (
                  SELECT id FROM (
                      SELECT k.id, row_number() OVER (PARTITION BY f.paper_id ORDER BY f.role <> 'Main', f.created) AS n
                      FROM paper_file_search_keys k JOIN paper_files f ON f.id = k.file_id
                      WHERE NOT f.deleted AND f.paper_id IN (SELECT value FROM json_each(@ids))
                        AND k.id IN (SELECT rowid FROM paper_file_search WHERE paper_file_search MATCH @query))
                  WHERE n = 1)
            """,
            // Guids are stored as upper-case text; the ids go in as one JSON array.
            [("query", FtsQuery(search)), ("ids", System.Text.Json.JsonSerializer.Serialize(paperIds.Select(id => id.ToString().ToUpperInvariant())))],
            cancellationToken);

    private static string FtsQuery(DocumentTextSearch search) => string.Join(" ", search.Words.Select(w => $"\"{w}\"*"));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // The full-text index is kept by AFTER triggers on the texts' table, with which SQLite refuses a RETURNING clause.
        modelBuilder.Entity<Council.Model.PaperFileContent>().ToTable(t => t.UseSqlReturningClause(false));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite cannot compare or order DateTimeOffset text. All instants are UTC, so their binary form orders correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
