using System.Runtime.CompilerServices;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace DeliberationFlow.Persistence;

/// <summary>
/// On PostgreSQL, writes the journal lines a save adds with one statement (<c>INSERT … SELECT … FROM unnest(…)</c>) in the
/// use case's transaction, before EF Core writes the rest, instead of one <c>INSERT … RETURNING</c> per line; the timers
/// the unit of work calls off (<see cref="DeliberationDbContext.CallOffPendingTimers"/>) go with it, as the statement's
/// <c>WITH … UPDATE</c>: one round trip for both.
/// </summary>
/// <remarks>
/// A step writes about nine journal lines (resumed, completed, started, planned, bookmark, timers, notice). As single
/// inserts they were a third of the statements PostgreSQL executed per step, and a third of the entities EF Core ordered,
/// rendered as SQL and read back in every save. The lines get their sequence numbers in the order they were added, as
/// before. Only saves inside a transaction the use case began take this path (a step does): a failed save there leaves
/// the transaction to be rolled back, with EF Core's own partial writes and these lines alike, and the lines return to
/// the unit of work as added, as EF Core leaves its own entities. Other saves, and synchronous ones, leave the lines to
/// EF Core, whose own transaction covers them.
/// </remarks>
public sealed class JournalBatchInterceptor : SaveChangesInterceptor
{
    // The lines written by a save that is still running, per context, to hand back should it fail.
    private readonly ConditionalWeakTable<DbContext, List<EntityEntry<JournalEntry>>> _running = [];

    // The statement per model: table and column names come from the mapping, not from here.
    private static readonly ConditionalWeakTable<IModel, string> Statements = [];
    private static readonly ConditionalWeakTable<IModel, string> StatementsWithCallOffs = [];
    private static readonly ConditionalWeakTable<IModel, string> ReadBacks = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { Database.CurrentTransaction: { } transaction } context)
        {
            await WriteAsync(context, (NpgsqlTransaction)transaction.GetDbTransaction(), cancellationToken);
        }

        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        // EF Core counts the entities it wrote; the lines were written too.
        if (eventData.Context is { } context && _running.TryGetValue(context, out var lines))
        {
            _running.Remove(context);
            result += lines.Count;
        }

        return ValueTask.FromResult(result);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        HandBack(eventData.Context);
        return Task.CompletedTask;
    }

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        HandBack(eventData.Context);
        return Task.CompletedTask;
    }

    // EF Core reports a lost race (an update that found its row changed) here, not as a failed save.
    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(ConcurrencyExceptionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        HandBack(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private async Task WriteAsync(DbContext context, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if ((await WriteLinesAsync(context, transaction, readBackInstanceId: null, cancellationToken)).Lines is { Count: > 0 } lines)
        {
            _running.AddOrUpdate(context, lines);
        }
    }

    /// <summary>
    /// Writes the journal lines the unit of work has added, and the timers' call-offs, now: for a use case that needs the
    /// lines' numbers before its save (<see cref="PostgresDeliberationDbContext.WriteJournalAsync(CancellationToken)"/>). They are the
    /// transaction's from then on: should it be rolled back, they go with it. With an instance's id, the same batch reads
    /// that instance's whole journal after the write (a statement of its own, so it sees the new lines).
    /// </summary>
    internal static async Task<(List<EntityEntry<JournalEntry>> Lines, List<JournalView>? Journal)> WriteLinesAsync(
        DbContext context, NpgsqlTransaction transaction, Guid? readBackInstanceId, CancellationToken cancellationToken)
    {
        var lines = Added(context);
        var callOffs = context is DeliberationDbContext deliberation ? deliberation.TakeTimerCallOffs() : [];
        if (lines.Count == 0 && callOffs.Count == 0 && readBackInstanceId is null)
        {
            return (lines, null);
        }

        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        var writes = lines.Count > 0 || callOffs.Count > 0;
        if (writes)
        {
            var write = new NpgsqlBatchCommand(callOffs.Count == 0 ? Statement(context.Model) : StatementWithCallOffs(context.Model));
            var entries = lines.Select(l => l.Entity).ToList();
            write.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. entries.Select(e => e.InstanceId)] });
            write.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. entries.Select(e => e.Timestamp)] });
            write.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.Kind.ToString())] });
            write.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. entries.Select(e => e.ActivityId)] });
            write.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. entries.Select(e => e.ActivityType)] });
            write.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. entries.Select(e => e.Outcome)] });
            write.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.Actor)] });
            write.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.Message)] });
            if (callOffs.Count > 0)
            {
                write.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. callOffs.Select(c => c.Key)] });
                write.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. callOffs.Select(c => c.Note)] });
            }

            batch.BatchCommands.Add(write);
        }

        if (readBackInstanceId is { } instanceId)
        {
            var read = new NpgsqlBatchCommand(ReadBack(context.Model));
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = instanceId });
            batch.BatchCommands.Add(read);
        }

        var sequences = new List<long>(lines.Count);
        List<JournalView>? journal = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (writes)
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    sequences.Add(reader.GetInt64(0));
                }

                await reader.NextResultAsync(cancellationToken);
            }

            if (readBackInstanceId is not null)
            {
                journal = [];
                while (await reader.ReadAsync(cancellationToken))
                {
                    journal.Add(new JournalView(
                        reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                        reader.GetString(5), reader.GetString(6)));
                }
            }
        }

        // The rows were inserted in the order of the lines, and the identity counts up in insertion order.
        sequences.Sort();
        for (var i = 0; i < lines.Count; i++)
        {
            lines[i].Property(e => e.Sequence).CurrentValue = sequences[i];
            lines[i].State = EntityState.Detached;
        }

        return (lines, journal);
    }

    /// <summary>The journal lines this save adds, found without comparing every tracked entity with its snapshot.</summary>
    private static List<EntityEntry<JournalEntry>> Added(DbContext context)
    {
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            // In the order they were added, which the temporary sequence numbers EF Core hands out in turn keep (the
            // tracker's own order is not that once entries have left it).
            return tracker.Entries<JournalEntry>().Where(e => e.State == EntityState.Added).OrderBy(e => e.Property(j => j.Sequence).CurrentValue).ToList();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>The save failed: its lines are in the unit of work again, as added, as EF Core leaves its own entities.</summary>
    private void HandBack(DbContext? context)
    {
        if (context is null || !_running.TryGetValue(context, out var lines))
        {
            return;
        }

        _running.Remove(context);
        foreach (var line in lines)
        {
            var entry = context.Entry(line.Entity);
            entry.Property(e => e.Sequence).CurrentValue = 0L;
            entry.State = EntityState.Added;
        }
    }

    // The properties the statement writes, in the order of its parameters (WriteAsync) and their types (Statement).
    private static readonly string[] Written =
    [
        nameof(JournalEntry.InstanceId), nameof(JournalEntry.Timestamp), nameof(JournalEntry.Kind), nameof(JournalEntry.ActivityId),
        nameof(JournalEntry.ActivityType), nameof(JournalEntry.Outcome), nameof(JournalEntry.Actor), nameof(JournalEntry.Message),
    ];

    private static string Statement(IModel model) => Statements.GetValue(model, static model =>
    {
        var (table, column) = Mapping(model);
        var values = string.Join(", ", Written.Select((_, i) => $"v{i}"));
        return $"""
                INSERT INTO {table} ({string.Join(", ", Written.Select(column))})
                SELECT {values}
                FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                    WITH ORDINALITY AS line({values}, position)
                ORDER BY position
                RETURNING {column(nameof(JournalEntry.Sequence))}
                """;
    });

    /// <summary>An instance's journal as the answer shows it (<see cref="JournalView"/>), in sequence.</summary>
    private static string ReadBack(IModel model) => ReadBacks.GetValue(model, static model =>
    {
        var (table, column) = Naming(model.FindEntityType(typeof(JournalEntry)) ?? throw new InvalidOperationException("The model has no journal."));
        var shown = new[]
        {
            nameof(JournalEntry.Sequence), nameof(JournalEntry.Timestamp), nameof(JournalEntry.Kind), nameof(JournalEntry.ActivityId),
            nameof(JournalEntry.Outcome), nameof(JournalEntry.Actor), nameof(JournalEntry.Message),
        };
        return $"""
                SELECT {string.Join(", ", shown.Select(column))}
                FROM {table}
                WHERE {column(nameof(JournalEntry.InstanceId))} = $1
                ORDER BY {column(nameof(JournalEntry.Sequence))}
                """;
    });

    /// <summary>
    /// The same statement, calling off the pending timers of the keys in <c>$9</c> first, each with its note from <c>$10</c>.
    /// By key alone (<c>= ANY</c>, the key's index), the status tested in what it sets, as the timers' index configuration
    /// asks; a key called off twice in one save gets its first note.
    /// </summary>
    private static string StatementWithCallOffs(IModel model) => StatementsWithCallOffs.GetValue(model, static model =>
    {
        var (table, column) = Naming(model.FindEntityType(typeof(WorkflowTimer)) ?? throw new InvalidOperationException("The model has no timers."));
        var (key, note, status) = (column(nameof(WorkflowTimer.Key)), column(nameof(WorkflowTimer.Note)), column(nameof(WorkflowTimer.Status)));
        return $$"""
                 WITH called_off AS (
                     UPDATE {{table}} AS t
                     SET {{note}} = CASE WHEN t.{{status}} = '{{TimerStatus.Pending}}' THEN ($10::text[])[array_position($9::text[], t.{{key}})] ELSE t.{{note}} END,
                         {{status}} = CASE WHEN t.{{status}} = '{{TimerStatus.Pending}}' THEN '{{TimerStatus.Cancelled}}' ELSE t.{{status}} END
                     WHERE t.{{key}} = ANY ($9::text[]))
                 {{Statement(model)}}
                 """;
    });

    private static (string Table, Func<string, string> Column) Mapping(IModel model)
    {
        var entityType = model.FindEntityType(typeof(JournalEntry)) ?? throw new InvalidOperationException("The model has no journal.");

        // A column added to the journal must be written here too, or every step would leave it empty: say so at once.
        var unwritten = entityType.GetProperties().Select(p => p.Name).Except(Written).Where(name => name != nameof(JournalEntry.Sequence)).ToList();
        if (unwritten.Count > 0)
        {
            throw new InvalidOperationException(
                $"The journal has properties {nameof(JournalBatchInterceptor)} does not write: {string.Join(", ", unwritten)}. Add them to its statement.");
        }

        return Naming(entityType);
    }

    /// <summary>The quoted table of an entity and the quoted column of each of its properties, from the mapping.</summary>
    private static (string Table, Func<string, string> Column) Naming(IEntityType entityType)
    {
        var store = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var table = entityType.GetSchema() is { } schema ? $"\"{schema}\".\"{store.Name}\"" : $"\"{store.Name}\"";
        return (table, property => $"\"{entityType.FindProperty(property)!.GetColumnName(store)}\"");
    }
}
