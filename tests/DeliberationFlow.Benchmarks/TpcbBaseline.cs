using System.Diagnostics;
using Npgsql;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// The physical limit to compare against: pgbench's TPC-B-like transaction (update an account, read its balance,
/// update a teller and a branch, insert a history row, commit) done with Npgsql by the same number of clients on
/// the same database. Tables as <c>pgbench -i</c> makes them, in schema <c>tpcb</c>.
/// </summary>
public static class TpcbBaseline
{
    private const int AccountsPerBranch = 100_000;
    private const int TellersPerBranch = 10;

    public static async Task CreateAsync(string connectionString, int scale)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        string[] statements =
        [
            "DROP SCHEMA IF EXISTS tpcb CASCADE",
            "CREATE SCHEMA tpcb",
            "CREATE TABLE tpcb.branches (bid int NOT NULL, bbalance int NOT NULL, filler char(88)) WITH (fillfactor = 100)",
            "CREATE TABLE tpcb.tellers (tid int NOT NULL, bid int NOT NULL, tbalance int NOT NULL, filler char(84)) WITH (fillfactor = 100)",
            "CREATE TABLE tpcb.accounts (aid int NOT NULL, bid int NOT NULL, abalance int NOT NULL, filler char(84)) WITH (fillfactor = 100)",
            "CREATE TABLE tpcb.history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))",
            $"INSERT INTO tpcb.branches (bid, bbalance) SELECT b, 0 FROM generate_series(1, {scale}) b",
            $"INSERT INTO tpcb.tellers (tid, bid, tbalance) SELECT t, (t - 1) / {TellersPerBranch} + 1, 0 FROM generate_series(1, {scale * TellersPerBranch}) t",
            $"INSERT INTO tpcb.accounts (aid, bid, abalance, filler) SELECT a, (a - 1) / {AccountsPerBranch} + 1, 0, '' FROM generate_series(1, {(long)scale * AccountsPerBranch}) a",
            "ALTER TABLE tpcb.branches ADD PRIMARY KEY (bid)",
            "ALTER TABLE tpcb.tellers ADD PRIMARY KEY (tid)",
            "ALTER TABLE tpcb.accounts ADD PRIMARY KEY (aid)",
            "VACUUM ANALYZE tpcb.branches, tpcb.tellers, tpcb.accounts, tpcb.history",
        ];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Runs the transaction with <paramref name="clients"/> connections for <paramref name="duration"/>; returns committed transactions and latencies.</summary>
    public static async Task<(int Transactions, TimeSpan Elapsed, Latencies Latencies)> RunAsync(string connectionString, int scale, int clients, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        var latencies = new Latencies();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
#pragma warning disable CA5394 // The account numbers of a benchmark need no cryptographic randomness.
            var random = new Random(client + 1);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            while (stopwatch.Elapsed < duration)
            {
                var aid = random.Next(1, (scale * AccountsPerBranch) + 1);
                var bid = random.Next(1, scale + 1);
                var tid = random.Next(1, (scale * TellersPerBranch) + 1);
                var delta = random.Next(-5000, 5001);
#pragma warning restore CA5394
                var start = Stopwatch.GetTimestamp();
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    await ExecuteAsync(connection, transaction, "UPDATE tpcb.accounts SET abalance = abalance + $1 WHERE aid = $2", delta, aid);
                    await using (var select = new NpgsqlCommand("SELECT abalance FROM tpcb.accounts WHERE aid = $1", connection, transaction))
                    {
                        select.Parameters.Add(new NpgsqlParameter { Value = aid });
                        _ = await select.ExecuteScalarAsync();
                    }

                    await ExecuteAsync(connection, transaction, "UPDATE tpcb.tellers SET tbalance = tbalance + $1 WHERE tid = $2", delta, tid);
                    await ExecuteAsync(connection, transaction, "UPDATE tpcb.branches SET bbalance = bbalance + $1 WHERE bid = $2", delta, bid);
                    await ExecuteAsync(connection, transaction,
                        "INSERT INTO tpcb.history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)", tid, bid, aid, delta);
                    await transaction.CommitAsync();
                }

                latencies.Record(Stopwatch.GetElapsedTime(start));
            }
        })));
        var elapsed = stopwatch.Elapsed;
        return ((int)latencies.Count, elapsed, latencies);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params int[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
