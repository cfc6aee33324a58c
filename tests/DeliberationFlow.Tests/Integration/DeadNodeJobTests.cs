using DeliberationFlow.Council.Papers;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DeliberationFlow.Tests.Integration;

/// <summary>
/// A node whose worker took a job and then died leaves the job marked as taken. Another node runs it once the
/// invisibility timeout has passed (Hangfire.PostgreSql's default was half an hour, and the reconciliation counts a
/// taken job as alive, so a timer waited that long).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DeadNodeJobTests
{
    [Fact]
    public async Task AnInvitationJobTakenByADeadNode_RunsOnAnotherNode_AfterTheInvisibilityTimeout()
    {
        // An API-only node: timers get their jobs, nothing here runs them.
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9),
            settings: TestApp.ApiOnly);
        var paper = await test.RegisterAsync("admin", new RegisterPaperRequest("21-50101", "Vorlage", "Beschlussvorlage", "fb10", null, true, null, null));
        test.Clock.SetUtcNow(Berlin.At(2021, 4, 22, 15, 0, 1));
        await test.ReconcileAsync();
        var key = paper.Consultations[0].Id.ToString();
        Task<WorkflowTimer> TimerAsync() => test.App.WithScopeAsync(sp =>
            sp.GetRequiredService<DeliberationDbContext>().Timers.AsNoTracking().SingleAsync(t => t.Key == key && t.Kind == "consultation.invitation"));
        var jobId = (await TimerAsync()).JobId ?? throw new InvalidOperationException("The reconciliation gave the due invitation no job.");

        // A worker of a third node takes the job, as its queue row then says, and the node dies before it runs it.
        await using (var connection = new NpgsqlConnection(test.ConnectionString))
        {
            await connection.OpenAsync();
            await using var taken = new NpgsqlCommand("update hangfire.jobqueue set fetchedat = now() where jobid = @id", connection);
            taken.Parameters.AddWithValue("id", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, await taken.ExecuteNonQueryAsync());
        }

        // A node with workers comes up; its start-up reconciliation sees the job as alive and leaves it alone.
        await using var worker = new DeliberationFlowApp(DatabaseProvider.Postgres, test.ConnectionString, test.Clock, test.Smtp.Port, test.DataPath,
            settings: new Dictionary<string, string> { ["Scheduling:InvisibilityTimeout"] = "00:00:03" });
        _ = worker.Server;

        var invitations = await test.Smtp.WaitForAsync(m => (m.Subject ?? "") == "Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-50101", 5);
        Assert.Equal(5, invitations.Count);
        Assert.Equal(TimerStatus.Fired, (await TimerAsync()).Status);
        Assert.Equal(jobId, (await TimerAsync()).JobId);
    }
}
