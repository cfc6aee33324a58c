using System.Reflection;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using DeliberationFlow.Notifications;
using DeliberationFlow.Persistence;
using DeliberationFlow.Scheduling;

namespace DeliberationFlow.Tests.Architecture;

/// <summary>The arrows point one way: Server → Scheduling → Notifications → Persistence → Council → Engine.</summary>
public sealed class DependencyDirectionTests
{
    private static readonly Assembly Engine = typeof(WorkflowRunner).Assembly;
    private static readonly Assembly Council = typeof(Paper).Assembly;

    [Fact]
    public void Engine_ReferencesNoInfrastructure()
    {
        string[] forbidden = ["Microsoft.EntityFrameworkCore", "Hangfire", "MailKit", "MimeKit", "Microsoft.AspNetCore", "Npgsql", "Microsoft.Data.Sqlite"];

        var references = Engine.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, r => forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal)));
        Assert.DoesNotContain(references, r => r.StartsWith("DeliberationFlow.", StringComparison.Ordinal));
    }

    [Fact]
    public void Council_ReferencesOnlyTheEngineAndEfCoreAbstractions()
    {
        var references = Council.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal(["DeliberationFlow.Engine"], references.Where(r => r.StartsWith("DeliberationFlow.", StringComparison.Ordinal)));
        Assert.DoesNotContain(references, r => r.StartsWith("Hangfire", StringComparison.Ordinal) || r.StartsWith("MailKit", StringComparison.Ordinal)
            || r.StartsWith("Npgsql", StringComparison.Ordinal) || r.StartsWith("Microsoft.EntityFrameworkCore.Sqlite", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(typeof(DeliberationDbContext), new[] { "DeliberationFlow.Council", "DeliberationFlow.Engine" })]
    [InlineData(typeof(OutboxDispatcher), new[] { "DeliberationFlow.Persistence", "DeliberationFlow.Council", "DeliberationFlow.Engine" })]
    [InlineData(typeof(TimerJob), new[] { "DeliberationFlow.Notifications", "DeliberationFlow.Persistence", "DeliberationFlow.Council", "DeliberationFlow.Engine" })]
    public void Adapters_ReferenceOnlyTheLayersBeneathThem(Type typeInProject, string[] allowed)
    {
        var references = typeInProject.Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(r => r.StartsWith("DeliberationFlow.", StringComparison.Ordinal));

        Assert.All(references, r => Assert.Contains(r, allowed));
    }
}
