using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Consultations;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Council.Workflows;
using DeliberationFlow.Engine.Activities;
using DeliberationFlow.Engine.Definitions;
using DeliberationFlow.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Extension methods for the container live where callers look for them.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

public static class CouncilServiceCollectionExtensions
{
    /// <summary>
    /// The engine with the council's activities, and the council's use cases. Workflow definitions are read
    /// and validated from <paramref name="workflowFolder"/> when first needed (at start-up, by the host).
    /// </summary>
    public static IServiceCollection AddCouncil(this IServiceCollection services, string workflowFolder)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddScoped<IActivity, StartActivity>();
        services.AddScoped<IActivity, EndActivity>();
        services.AddScoped<IActivity, ConsultationActivity>();
        services.TryAddScoped<IActivityRegistry, ActivityRegistry>();
        services.TryAddScoped<IWorkflowStore, CouncilWorkflowStore>();
        services.TryAddScoped<WorkflowRunner>();
        services.TryAddSingleton<IWorkflowDefinitionProvider>(sp =>
        {
            // Validation needs the activity descriptors only, which do not depend on the scope's services.
            var descriptors = new DescriptorOnlyRegistry([new StartActivity(), new EndActivity(), new ConsultationActivity(null!, null!)]);
            return WorkflowDefinitionCatalog.LoadFolder(workflowFolder, descriptors);
        });

        services.TryAddScoped<MeetingPlanner>();
        services.TryAddScoped<WorkflowSelection>();
        services.TryAddScoped<PaperReader>();
        services.TryAddScoped<RegisterPaper>();
        services.TryAddScoped<GetPaper>();
        services.TryAddScoped<RecordOutcome>();
        services.TryAddScoped<ListCommittees>();
        services.TryAddScoped<ListMeetings>();
        services.TryAddScoped<FireTimer>();
        services.AddScoped<ITimerHandler, InvitationTimerHandler>();
        return services;
    }

    private sealed class DescriptorOnlyRegistry(IEnumerable<IActivity> activities) : IActivityRegistry
    {
        private readonly ActivityRegistry _inner = new(activities);

        public IActivity? Find(string type) => _inner.Find(type);

        public IReadOnlyCollection<ActivityDescriptor> Descriptors => _inner.Descriptors;
    }
}
