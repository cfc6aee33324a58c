using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DeliberationFlow.Persistence;

public sealed class PostgresDeliberationDbContext(DbContextOptions<PostgresDeliberationDbContext> options) : DeliberationDbContext(options)
{
    protected override Task LockOrganizationAsync(Guid organizationId, CancellationToken cancellationToken) =>
        Database.ExecuteSqlAsync($"SELECT 1 FROM council.organizations WHERE id = {organizationId} FOR NO KEY UPDATE", cancellationToken);

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    // EF Core reports a transient error such as a deadlock wrapped in an InvalidOperationException, and one in a save's
    // batch wrapped once more, in a DbUpdateException: the database's error is looked for down the whole chain.
    public override bool IsDeadlock(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }

        return false;
    }

    // The column text_search (to_tsvector('german', text), kept by a trigger) has a GIN index: see the migration
    // PaperDocumentSearch. Each word is a prefix of a German stem ('strategi':*), so "Strategien" finds "Strategie" and
    // what is still being typed finds the word; the words are letters and digits only (DocumentTextSearch), never syntax.
    public override IQueryable<Guid> PapersWithDocumentText(DocumentTextSearch search) => Database.SqlQuery<Guid>($"""
        SELECT f.paper_id AS "Value"
        FROM council.paper_file_contents c JOIN council.paper_files f ON f.id = c.file_id
        WHERE c.text_search @@ to_tsquery('german', {TsQuery(search)}) AND NOT f.deleted
        """);

    // The first matching document of each paper is chosen before its passage is cut: ts_headline reads the whole text.
    public override Task<IReadOnlyList<DocumentTextHit>> DocumentTextHitsAsync(IReadOnlyCollection<Guid> paperIds, DocumentTextSearch search, CancellationToken cancellationToken) =>
        paperIds.Count == 0 ? Task.FromResult<IReadOnlyList<DocumentTextHit>>([]) : ReadDocumentTextHitsAsync("""
            SELECT h.paper_id, h.file_id, h.file_name,
                   ts_headline('german', left(c.text, @length), to_tsquery('german', @query),
                               'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, MaxFragments=1')
            FROM (SELECT DISTINCT ON (f.paper_id) f.paper_id, f.id AS file_id, f.file_name
                  FROM council.paper_file_contents c JOIN council.paper_files f ON f.id = c.file_id
                  WHERE f.paper_id = ANY(@ids) AND NOT f.deleted AND c.text_search @@ to_tsquery('german', @query)
                  ORDER BY f.paper_id, f.role <> 'Main', f.created) h
            JOIN council.paper_file_contents c ON c.file_id = h.file_id
            """, [("length", PassageSearchLength), ("query", TsQuery(search)), ("ids", paperIds.ToArray())], cancellationToken);

    private static string TsQuery(DocumentTextSearch search) => string.Join(" & ", search.Words.Select(w => w + ":*"));

    protected override bool SaveWritesTimerCallOffs => true;

    public override async Task WriteJournalAsync(CancellationToken cancellationToken) =>
        await JournalBatchInterceptor.WriteLinesAsync(this, UseCaseTransaction(), readBackInstanceId: null, cancellationToken);

    // The instance's journal is read in the same batch as the lines are written: one round trip for both.
    public override async Task<IReadOnlyList<JournalView>> WriteJournalAsync(Guid readBackInstanceId, CancellationToken cancellationToken) =>
        (await JournalBatchInterceptor.WriteLinesAsync(this, UseCaseTransaction(), readBackInstanceId, cancellationToken)).Journal!;

    private NpgsqlTransaction UseCaseTransaction() =>
        Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
        ?? throw new InvalidOperationException("The journal is written ahead of the save only inside the use case's transaction.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // The large texts each step writes once (the stored answer of ~8 KB, the mail's bodies and calendar file) are
        // compressed with lz4 instead of PostgreSQL's default pglz: in a measurement on this service's data pglz took
        // 28 µs per 7 KB row, lz4 4 µs, for a slightly smaller result. Needs PostgreSQL 14 or later built with lz4, as
        // the PGDG, Debian and Ubuntu packages and the official container images are.
        modelBuilder.Entity<IdempotencyRecord>().Property(r => r.ResponseJson).UseCompressionMethod("lz4");
        modelBuilder.Entity<OutboxMessage>().Property(m => m.TextBody).UseCompressionMethod("lz4");
        modelBuilder.Entity<OutboxMessage>().Property(m => m.HtmlBody).UseCompressionMethod("lz4");
        modelBuilder.Entity<OutboxMessage>().Property(m => m.AttachmentContent).UseCompressionMethod("lz4");

        // Answers are written in time order and deleted when they expire: a block-range index (a few pages, next to no
        // cost per step's insert) finds the expired ones as well as a B-tree would here.
        modelBuilder.Entity<IdempotencyRecord>().HasIndex(r => r.CreatedAt).HasMethod("brin");
    }
}
