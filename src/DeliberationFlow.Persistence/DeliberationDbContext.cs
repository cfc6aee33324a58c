using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence.Configurations;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DeliberationFlow.Persistence;

/// <summary>
/// One context for the engine's rows (schema <c>engine</c>) and the council's (schema <c>council</c>), so a
/// step commits the instance, its bookmark, timers, consultation and outbox rows in a single transaction.
/// Each provider has its own subclass, because each has its own migrations. It also keeps ASP.NET Core's Data
/// Protection key ring, which every node shares through it.
/// </summary>
public abstract class DeliberationDbContext : DbContext, ICouncilDb, IDataProtectionKeyContext
{
    protected DeliberationDbContext(DbContextOptions options)
        : base(options)
    {
        // A use case that fails inside its transaction rolls the whole transaction back and never retries a save
        // within it, so the savepoint EF Core would otherwise wrap around every SaveChanges is two round trips per
        // save for nothing.
        Database.AutoSavepointsEnabled = false;
    }

    public const string EngineSchema = "engine";
    public const string CouncilSchema = "council";

    public DbSet<Body> Bodies => Set<Body>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Person> Persons => Set<Person>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<Attendance> Attendances => Set<Attendance>();
    public DbSet<Circulation> Circulations => Set<Circulation>();
    public DbSet<CirculationVote> CirculationVotes => Set<CirculationVote>();
    public DbSet<Paper> Papers => Set<Paper>();
    public DbSet<Consultation> Consultations => Set<Consultation>();
    public DbSet<PaperFile> PaperFiles => Set<PaperFile>();
    public DbSet<PaperFileContent> PaperFileContents => Set<PaperFileContent>();
    public DbSet<AgendaItem> AgendaItems => Set<AgendaItem>();
    public DbSet<LegislativeTerm> LegislativeTerms => Set<LegislativeTerm>();
    public DbSet<Council.OParl.OParlSourceLink> OParlSourceLinks => Set<Council.OParl.OParlSourceLink>();
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<PaperFollower> PaperFollowers => Set<PaperFollower>();
    public DbSet<CommitteeFollower> CommitteeFollowers => Set<CommitteeFollower>();
    public DbSet<Council.Notifications.Templates.MailTemplate> MailTemplates => Set<Council.Notifications.Templates.MailTemplate>();
    public DbSet<Council.Audit.AuditEntry> AuditEntries => Set<Council.Audit.AuditEntry>();
    public DbSet<WorkflowInstance> WorkflowInstances => Set<WorkflowInstance>();
    public DbSet<Bookmark> Bookmarks => Set<Bookmark>();
    public DbSet<WorkflowTimer> Timers => Set<WorkflowTimer>();
    public DbSet<JournalEntry> Journal => Set<JournalEntry>();
    public DbSet<StoredWorkflowDefinition> WorkflowDefinitions => Set<StoredWorkflowDefinition>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbContext Context => this;

    // Timers to call off at the next save, and the transaction they were asked for in: a list left by a transaction that
    // ended without a save (rolled back, the use case refused), also in a context back from the pool, is dropped, not
    // written into the next one.
    private readonly List<TimerCallOff> _timerCallOffs = [];
    private System.Data.Common.DbTransaction? _timerCallOffsTransaction;

    public void CallOffPendingTimers(string key, string note)
    {
        var transaction = Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException(
                "Timers are called off only inside the transaction of the change that calls them off; begin it before (see AgendaDraft.BeginDraftChangeAsync).");
        if (!ReferenceEquals(transaction, _timerCallOffsTransaction))
        {
            _timerCallOffs.Clear();
            _timerCallOffsTransaction = transaction;
        }

        _timerCallOffs.Add(new TimerCallOff(key, note));
    }

    /// <summary>The call-offs asked for in the current transaction and not yet written; the list is empty afterwards.</summary>
    internal IReadOnlyList<TimerCallOff> TakeTimerCallOffs()
    {
        var current = Database.CurrentTransaction?.GetDbTransaction();
        var taken = current is not null && ReferenceEquals(current, _timerCallOffsTransaction) ? _timerCallOffs.ToList() : [];
        _timerCallOffs.Clear();
        _timerCallOffsTransaction = null;
        return taken;
    }

    // Entities whose next save keeps their Modified (KeepModified); the timestamp interceptor takes them when it stamps.
    // One left by a use case that never saved names an entity no later unit of work tracks, so it matches nothing there;
    // the set is emptied when the unit of work ends (Dispose), so a pooled context does not hold those entities.
    private readonly HashSet<object> _keepModified = new(ReferenceEqualityComparer.Instance);

    // The pool resets the change tracker on return but knows nothing of this state (its reset is not overridable), and a
    // pooled context is disposed by the scope at the end of every unit of work before it goes back: the place to drop it.
    public override void Dispose()
    {
        _keepModified.Clear();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override ValueTask DisposeAsync()
    {
        _keepModified.Clear();
        GC.SuppressFinalize(this);
        return base.DisposeAsync();
    }

    public void KeepModified(object entity) => _keepModified.Add(entity);

    /// <summary>The entities whose Modified the save now under way keeps; the set is empty afterwards.</summary>
    internal IReadOnlySet<object> TakeKeptModified()
    {
        if (_keepModified.Count == 0)
        {
            return _keepModified;
        }

        var taken = new HashSet<object>(_keepModified, ReferenceEqualityComparer.Instance);
        _keepModified.Clear();
        return taken;
    }

    /// <summary>
    /// Writes the journal lines (and the timers' call-offs) now, ahead of the save of the rest; SQLite, which writes each
    /// line with EF Core, saves the whole unit of work instead.
    /// </summary>
    public virtual async Task WriteJournalAsync(CancellationToken cancellationToken) => await SaveChangesAsync(cancellationToken);

    /// <summary>Writes ahead as above, then reads the instance's journal with a query of its own.</summary>
    public virtual async Task<IReadOnlyList<JournalView>> WriteJournalAsync(Guid readBackInstanceId, CancellationToken cancellationToken)
    {
        await WriteJournalAsync(cancellationToken);
        return await PaperReader.JournalAsync(this, readBackInstanceId, cancellationToken);
    }

    /// <summary>
    /// Whether an asynchronous save writes the call-offs itself, in one statement with the journal lines
    /// (<see cref="JournalBatchInterceptor"/>, PostgreSQL); otherwise they are written here before the save.
    /// </summary>
    protected virtual bool SaveWritesTimerCallOffs => false;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!SaveWritesTimerCallOffs)
        {
            foreach (var callOff in TakeTimerCallOffs())
            {
                await CallOff(callOff).ExecuteUpdateAsync(CallOffSetters(callOff.Note), cancellationToken);
            }
        }

        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        foreach (var callOff in TakeTimerCallOffs())
        {
            CallOff(callOff).ExecuteUpdate(CallOffSetters(callOff.Note));
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    // By key alone, the status tested in what it sets: a condition that also asked for "pending" could be planned as a
    // scan of every pending timer (see the timers' index configuration).
    private IQueryable<WorkflowTimer> CallOff(TimerCallOff callOff) => Timers.Where(t => t.Key == callOff.Key);

    private static Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<WorkflowTimer>> CallOffSetters(string note) => s => s
        .SetProperty(t => t.Note, t => t.Status == TimerStatus.Pending ? note : t.Note)
        .SetProperty(t => t.Status, t => t.Status == TimerStatus.Pending ? TimerStatus.Cancelled : t.Status);

    public abstract IQueryable<Guid> PapersWithDocumentText(DocumentTextSearch search);

    public abstract Task<IReadOnlyList<DocumentTextHit>> DocumentTextHitsAsync(IReadOnlyCollection<Guid> paperIds, DocumentTextSearch search, CancellationToken cancellationToken);

    /// <summary>
    /// The providers' passage query, read by hand: its columns are paper id, file id, file name and the passage. A passage
    /// that holds no hit (it lies beyond <see cref="PassageSearchLength"/>) is left out.
    /// </summary>
    private protected async Task<IReadOnlyList<DocumentTextHit>> ReadDocumentTextHitsAsync(
        string sql, IReadOnlyList<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        var hits = new List<DocumentTextHit>();
        await Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var passage = reader.IsDBNull(3) ? null : reader.GetString(3);
                hits.Add(new DocumentTextHit(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                    passage is not null && passage.Contains(DocumentTextSearch.HitStart, StringComparison.Ordinal) ? passage : null));
            }
        }
        finally
        {
            await Database.CloseConnectionAsync();
        }

        return hits;
    }

    /// <summary>
    /// Passages are looked for in this many characters of a text at most (about 30 pages): PostgreSQL's ts_headline reads
    /// the text it is given whole, some 150 ms for the longest text kept (1,000,000 characters), for each paper of a page.
    /// </summary>
    private protected const int PassageSearchLength = 100_000;

    /// <summary>SQLite has no schemas; its subclass returns false and every table lives in the one file.</summary>
    protected virtual bool SupportsSchemas => true;

    public abstract bool IsUniqueViolation(DbUpdateException exception);

    public async Task TakeOrganizationAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An organization's row is taken in a transaction only; outside one the lock would end with the statement.");
        }

        await LockOrganizationAsync(organizationId, cancellationToken);
    }

    /// <summary>The provider's row lock (see <see cref="TakeOrganizationAsync"/>); SQLite needs none.</summary>
    protected virtual Task LockOrganizationAsync(Guid organizationId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Whether the database gave up a statement to end a deadlock (it undid the statement's transaction whole). SQLite
    /// has one writer at a time and no deadlocks.
    /// </summary>
    public virtual bool IsDeadlock(Exception exception) => false;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var engine = SupportsSchemas ? EngineSchema : null;
        var council = SupportsSchemas ? CouncilSchema : null;
        modelBuilder.ApplyConfiguration(new WorkflowInstanceConfiguration(engine));
        modelBuilder.ApplyConfiguration(new BookmarkConfiguration(engine));
        modelBuilder.ApplyConfiguration(new WorkflowTimerConfiguration(engine));
        modelBuilder.ApplyConfiguration(new JournalEntryConfiguration(engine));
        modelBuilder.ApplyConfiguration(new StoredWorkflowDefinitionConfiguration(engine));
        modelBuilder.ApplyConfiguration(new BodyConfiguration(council));
        modelBuilder.ApplyConfiguration(new OrganizationConfiguration(council));
        modelBuilder.ApplyConfiguration(new PersonConfiguration(council));
        modelBuilder.ApplyConfiguration(new MembershipConfiguration(council));
        modelBuilder.ApplyConfiguration(new MeetingConfiguration(council));
        modelBuilder.ApplyConfiguration(new PaperConfiguration(council));
        modelBuilder.ApplyConfiguration(new ConsultationConfiguration(council));
        modelBuilder.ApplyConfiguration(new PaperFileConfiguration(council));
        modelBuilder.ApplyConfiguration(new PaperFileContentConfiguration(council));
        modelBuilder.ApplyConfiguration(new UserAccountConfiguration(council));
        modelBuilder.ApplyConfiguration(new IdempotencyRecordConfiguration(council));
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration(council));
        modelBuilder.ApplyConfiguration(new AgendaItemConfiguration(council));
        modelBuilder.ApplyConfiguration(new LegislativeTermConfiguration(council));
        modelBuilder.ApplyConfiguration(new OParlSourceLinkConfiguration(council));
        modelBuilder.ApplyConfiguration(new NotificationPreferenceConfiguration(council));
        modelBuilder.ApplyConfiguration(new PaperFollowerConfiguration(council));
        modelBuilder.ApplyConfiguration(new CommitteeFollowerConfiguration(council));
        modelBuilder.ApplyConfiguration(new MailTemplateConfiguration(council));
        modelBuilder.ApplyConfiguration(new AuditEntryConfiguration(council));
        modelBuilder.ApplyConfiguration(new AttendanceConfiguration(council));
        modelBuilder.ApplyConfiguration(new CirculationConfiguration(council));
        modelBuilder.ApplyConfiguration(new CirculationVoteConfiguration(council));
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys", council);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and safe when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}

/// <summary>A call-off of the pending timers with <paramref name="Key"/>, noting why.</summary>
internal sealed record TimerCallOff(string Key, string Note);
