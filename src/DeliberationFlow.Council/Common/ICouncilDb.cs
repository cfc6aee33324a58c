using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DeliberationFlow.Council.Common;

/// <summary>
/// The unit of work of a use case: council records, the engine's rows and the outbox in one database,
/// so one step commits in one transaction. Persistence implements it for PostgreSQL and SQLite.
/// </summary>
public interface ICouncilDb
{
    DbSet<Body> Bodies { get; }
    DbSet<Organization> Organizations { get; }
    DbSet<Person> Persons { get; }
    DbSet<Membership> Memberships { get; }
    DbSet<Meeting> Meetings { get; }
    DbSet<Attendance> Attendances { get; }
    DbSet<Circulation> Circulations { get; }
    DbSet<CirculationVote> CirculationVotes { get; }
    DbSet<Paper> Papers { get; }
    DbSet<Consultation> Consultations { get; }
    DbSet<PaperFile> PaperFiles { get; }
    DbSet<PaperFileContent> PaperFileContents { get; }
    DbSet<AgendaItem> AgendaItems { get; }
    DbSet<LegislativeTerm> LegislativeTerms { get; }
    DbSet<OParl.OParlSourceLink> OParlSourceLinks { get; }
    DbSet<UserAccount> Users { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<NotificationPreference> NotificationPreferences { get; }
    DbSet<PaperFollower> PaperFollowers { get; }

    DbSet<CommitteeFollower> CommitteeFollowers { get; }
    DbSet<Notifications.Templates.MailTemplate> MailTemplates { get; }
    DbSet<Audit.AuditEntry> AuditEntries { get; }

    DbSet<WorkflowInstance> WorkflowInstances { get; }
    DbSet<Bookmark> Bookmarks { get; }
    DbSet<WorkflowTimer> Timers { get; }
    DbSet<JournalEntry> Journal { get; }
    DbSet<Engine.Definitions.StoredWorkflowDefinition> WorkflowDefinitions { get; }

    DatabaseFacade Database { get; }

    /// <summary>The unit of work as EF Core's context, for the hot path's compiled queries (<c>EF.CompileAsyncQuery</c>).</summary>
    DbContext Context { get; }

    Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker ChangeTracker { get; }

    Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<TEntity> Entry<TEntity>(TEntity entity)
        where TEntity : class;

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the journal lines added so far (with their sequence numbers) and the timers' call-offs in the use case's
    /// transaction, ahead of the save of the rest: a use case whose answer lists the journal can then store that answer
    /// in the same save as its changes. Where the journal cannot be written alone (SQLite), the whole unit of work is saved.
    /// </summary>
    Task WriteJournalAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes ahead as <see cref="WriteJournalAsync(CancellationToken)"/> and reads back the whole journal of one instance,
    /// the lines just written included, in sequence: what a use case's answer lists. On PostgreSQL both go in one round trip.
    /// </summary>
    Task<IReadOnlyList<Papers.JournalView>> WriteJournalAsync(Guid readBackInstanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Calls off the timers with this key that have not fired yet (a consultation's invitation and reminder), noting why,
    /// in the use case's transaction: written by the next save, before the rows it adds, so timers added in this unit of
    /// work are not touched. Refuses to run outside a transaction, where nothing would tie the call-off to the change
    /// that asked for it.
    /// </summary>
    void CallOffPendingTimers(string key, string note);

    /// <summary>
    /// Takes a committee's (organization's) row until the transaction ends, without writing it: an update of the row,
    /// even one that changes nothing, would count up the body's organizations revision (a trigger) and with it make
    /// every node read the organizations again. PostgreSQL locks the row (<c>FOR NO KEY UPDATE</c>, which rows that merely
    /// refer to it do not wait for); SQLite's transactions hold the database's write lock from their start
    /// (<c>BEGIN IMMEDIATE</c>), which serialises them already. Refuses to run outside a transaction, where it would hold nothing.
    /// </summary>
    Task TakeOrganizationAsync(Guid organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// The next save writes the entity's change but leaves its <c>Modified</c> as stored. OParl clients synchronise on
    /// <c>modified</c>, so every change moves it (the timestamp interceptor); a change that nothing served shows (the
    /// order of an agenda no one outside sees) must not, or a public object would say it changed when nothing public did.
    /// </summary>
    void KeepModified(object entity);

    /// <summary>
    /// The ids of the papers with a document (not deleted) whose text holds every word of <paramref name="search"/>, found
    /// through the database's full-text index (PostgreSQL: a <c>tsvector</c> with German stems and a GIN index; SQLite:
    /// FTS5), never by reading the texts. A query to compose into another: it does not ask who may see the papers, so it
    /// only ever narrows a query that does (<see cref="Papers.PaperReader.VisiblePapersAsync"/>).
    /// </summary>
    IQueryable<Guid> PapersWithDocumentText(Papers.DocumentTextSearch search);

    /// <summary>
    /// For each of <paramref name="paperIds"/> (papers the caller may see, checked before) one of its documents (not deleted)
    /// whose text matches, with the passage around the hit (PostgreSQL <c>ts_headline</c>, SQLite FTS5 <c>snippet</c>).
    /// </summary>
    Task<IReadOnlyList<Papers.DocumentTextHit>> DocumentTextHitsAsync(IReadOnlyCollection<Guid> paperIds, Papers.DocumentTextSearch search, CancellationToken cancellationToken);

    /// <summary>True when the exception is the database refusing a duplicate of a unique key.</summary>
    bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>
    /// True when the database undid the transaction whole to end a deadlock (also when EF Core reports it wrapped, as a
    /// transient failure); the work can be done again from the start.
    /// </summary>
    bool IsDeadlock(Exception exception);
}
