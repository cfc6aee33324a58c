using System.Diagnostics;
using Npgsql;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// Fills the database with finished Beschlussvorlagen by SQL, so the scale phase can measure a step among 10 k and
/// 1 M stored instances without running a million workflows. Each loaded instance looks like one that ran through
/// FPA → VA → Rat: a finished workflow instance, its paper (done), its three consultations (adopted, in the
/// committees' past meetings) and a journal of three entries. Bookmarks, timers and outbox rows of finished
/// instances are not loaded (a finished instance has no bookmark; its timers and mail are history that the step
/// never reads).
/// </summary>
public static class BulkLoader
{
    private const int Chunk = 250_000;

    public static async Task<long> CountInstancesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM engine.workflow_instances", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Adds finished instances until <paramref name="target"/> instances are stored; returns how many were added.</summary>
    public static async Task<long> FillToAsync(string connectionString, Guid bodyId, long target, Action<string> progress)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var existing = await ScalarAsync<long>(connection, "SELECT count(*) FROM engine.workflow_instances");
        var missing = target - existing;
        if (missing <= 0)
        {
            return 0;
        }

        // A bulk load of rows that are consistent by construction: foreign-key triggers off (superuser only), commit
        // without waiting for the WAL flush. Neither changes how the benchmark's own steps run afterwards.
        await ExecuteAsync(connection, "SET synchronous_commit = off");
        try
        {
            await ExecuteAsync(connection, "SET session_replication_role = replica");
        }
        catch (PostgresException)
        {
            // Not a superuser: the foreign keys are checked, which is slower but the same data.
        }

        var offset = await ScalarAsync<long>(connection, "SELECT count(*) FROM council.papers WHERE reference LIKE 'BULK-%'");
        var stopwatch = Stopwatch.StartNew();
        for (long done = 0; done < missing; done += Chunk)
        {
            var from = offset + done + 1;
            var to = offset + Math.Min(missing, done + Chunk);
            await LoadChunkAsync(connection, bodyId, from, to);
            progress($"  bulk load: {to - offset:N0} of {missing:N0} instances ({stopwatch.Elapsed.TotalSeconds:F0} s)");
        }

        await ExecuteAsync(connection, "RESET session_replication_role");
        // Vacuumed and with statistics, as autovacuum keeps a database that grew to this size over the years. Analysed
        // only (before 2026-11-26, fifth session), a million freshly inserted rows are due for autovacuum's vacuum after
        // inserts, which could fall into the 500 measured steps on the same two cores; the scale ratio varied from 0.80
        // to 1.22 between runs, with the 1 M sample's p95/p99 up to twice the 10 k sample's.
        await ExecuteAsync(connection,
            "VACUUM (ANALYZE) engine.workflow_instances, engine.journal, engine.bookmarks, engine.timers, council.papers, council.consultations, council.outbox_messages, council.idempotency_records");
        return missing;
    }

    private static async Task LoadChunkAsync(NpgsqlConnection connection, Guid bodyId, long from, long to)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        string[] statements =
        [
            "CREATE TEMP TABLE bulk (g bigint, instance_id uuid, paper_id uuid, created timestamptz) ON COMMIT DROP",
            """
            INSERT INTO bulk
            SELECT g, gen_random_uuid(), gen_random_uuid(), timestamptz '2019-01-01 09:00+01' + (g % 700) * interval '1 day'
            FROM generate_series(@from, @to) AS g
            """,
            "CREATE TEMP TABLE refs (lead_office uuid, committee text, organization_id uuid, meeting_id uuid) ON COMMIT DROP",
            """
            INSERT INTO refs
            SELECT (SELECT id FROM council.organizations WHERE body_id = @body AND key = 'fb10'), o.key, o.id,
                   (SELECT m.id FROM council.meetings m WHERE m.organization_id = o.id ORDER BY m.start LIMIT 1)
            FROM council.organizations o WHERE o.body_id = @body AND o.key IN ('fpa', 'va', 'rat')
            """,
            """
            INSERT INTO engine.workflow_instances
                (id, definition_id, definition_version, correlation_id, tenant_id, status, current_activity_id, fault, created_at, updated_at, finished_at, revision)
            SELECT instance_id, 'beschlussvorlage', 1, paper_id::text, @body, 'Finished', 'end', NULL, created, created + interval '60 days', created + interval '60 days', 9
            FROM bulk
            """,
            """
            INSERT INTO council.papers
                (id, body_id, reference, name, paper_type, date, lead_office_id, participating_office_ids, superordinated_paper_id, is_public, status, workflow_instance_id, created, modified)
            SELECT paper_id, @body, 'BULK-' || g, 'Archivierte Beschlussvorlage ' || g, 'Beschlussvorlage', created::date,
                   (SELECT lead_office FROM refs LIMIT 1), '{}', NULL, true, 'Done', instance_id, created, created + interval '60 days'
            FROM bulk
            """,
            """
            INSERT INTO council.consultations
                (id, body_id, paper_id, organization_id, meeting_id, position, role, role_text, authoritative, status, outcome, result_text,
                 resolution_text, recorded_at, recorded_by, activity_id, created, modified, revision)
            SELECT gen_random_uuid(), @body, b.paper_id, r.organization_id, r.meeting_id, c.position, c.role, c.role_text, c.authoritative,
                   'Done', 'Adopted', 'einstimmig beschlossen', NULL, b.created + c.days * interval '1 day', 'admin', c.committee,
                   b.created + (c.days - 20) * interval '1 day', b.created + c.days * interval '1 day', 1
            FROM bulk b
            CROSS JOIN (VALUES ('fpa', 1, 'PreDeliberation', 'Vorberatung', false, 28),
                               ('va', 2, 'PreDeliberation', 'Vorberatung', false, 33),
                               ('rat', 3, 'Decision', 'Entscheidung', true, 47)) AS c(committee, position, role, role_text, authoritative, days)
            JOIN refs r ON r.committee = c.committee
            """,
            """
            INSERT INTO engine.journal (instance_id, "timestamp", kind, activity_id, activity_type, outcome, actor, message)
            SELECT b.instance_id, b.created + j.days * interval '1 day', j.kind, j.activity_id, j.activity_type, j.outcome, 'admin', j.message
            FROM bulk b
            CROSS JOIN (VALUES (0, 'InstanceStarted', NULL, NULL, NULL, 'Instanz von Beschlussvorlage (v1) gestartet.'),
                               (47, 'ActivityCompleted', 'rat', 'Consultation', 'Adopted', 'Rat der Stadt Braunschweig: einstimmig beschlossen'),
                               (47, 'InstanceFinished', 'end', 'End', NULL, 'Instanz abgeschlossen.')) AS j(days, kind, activity_id, activity_type, outcome, message)
            """,
        ];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 900 };
            foreach (var (name, value) in new (string, object)[] { ("from", from), ("to", to), ("body", bodyId) })
            {
                if (sql.Contains("@" + name, StringComparison.Ordinal))
                {
                    command.Parameters.AddWithValue(name, value);
                }
            }
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 900 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
