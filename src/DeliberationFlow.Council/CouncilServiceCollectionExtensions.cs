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
        services.AddScoped<IActivity, HearingActivity>();
        services.AddScoped<IActivity, OutcomeDecisionActivity>();
        services.AddScoped<IActivity, ConditionActivity>();
        services.AddScoped<IActivity, NotifyActivity>();
        services.AddScoped<IActivity, WaitActivity>();
        services.AddScoped<IActivity, WithdrawActivity>();
        services.TryAddScoped<IActivityRegistry, ActivityRegistry>();
        services.TryAddScoped<IWorkflowStore, CouncilWorkflowStore>();
        services.TryAddScoped<WorkflowRunner>();
        services.TryAddSingleton<IWorkflowDefinitionProvider>(sp =>
        {
            // Descriptors and checks of the activities do not touch the database; a scope only satisfies their constructors.
            using var scope = sp.CreateScope();
            return WorkflowDefinitionCatalog.LoadFolder(workflowFolder, scope.ServiceProvider.GetRequiredService<IActivityRegistry>());
        });
        services.TryAddSingleton<DeliberationFlow.Council.Definitions.ParsedDefinitionCache>();
        services.TryAddScoped<IWorkflowDefinitionStore, DeliberationFlow.Council.Definitions.CouncilDefinitionStore>();
        services.TryAddScoped<DeliberationFlow.Council.Definitions.DefinitionTemplates>();
        services.TryAddScoped<DeliberationFlow.Council.Definitions.DefinitionValidation>();
        services.TryAddScoped<DeliberationFlow.Council.Definitions.ListDefinitions>();
        services.TryAddScoped<DeliberationFlow.Council.Definitions.SaveDraft>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.EditPaper>();
        services.AddOptions<DeliberationFlow.Council.Papers.Files.PaperFileOptions>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.Files.UploadPaperFile>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.Files.ReplaceMainFile>();
        services.AddOptions<DeliberationFlow.Council.Papers.Files.PaperTextOptions>();
        services.TryAddSingleton<DeliberationFlow.Council.Papers.Files.IPaperTextReader, DeliberationFlow.Council.Papers.Files.PaperTextReader>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.Files.ExtractMissingPaperTexts>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.Files.ListUnreadablePaperTexts>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.Files.DeletePaperFile>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.Files.ListPaperFiles>();
        services.TryAddScoped<DeliberationFlow.Council.Papers.Files.DownloadPaperFile>();
        services.TryAddScoped<DeliberationFlow.Council.Meetings.MeetingAttendance>();
        services.TryAddScoped<DeliberationFlow.Council.Persons.ManagePersons>();
        services.TryAddScoped<DeliberationFlow.Council.Definitions.ChangeDefinitionState>();
        services.TryAddScoped<DeliberationFlow.Council.Definitions.MigrateInstances>();
        services.TryAddScoped<ConsultationPlanner>();
        services.TryAddScoped<PaperModel>();

        services.TryAddScoped<MeetingPlanner>();
        services.TryAddScoped<WorkflowSelection>();
        services.TryAddScoped<PaperReader>();
        services.TryAddScoped<SearchPapers>();
        services.TryAddScoped<RegisterPaper>();
        services.TryAddScoped<GetRegistrationChoices>();
        services.TryAddScoped<AttachWorkflow>();
        services.TryAddScoped<GetPaper>();
        services.TryAddScoped<ProjectBeratungsfolge>();
        services.TryAddScoped<SkipHearing>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.ListDeliveries>();
        services.TryAddScoped<RecordOutcome>();
        services.TryAddScoped<CorrectOutcome>();
        services.TryAddScoped<PruneIdempotencyRecords>();
        services.TryAddSingleton(DeliberationFlow.Council.Notifications.MailIdentity.Default);
        services.TryAddSingleton(DeliberationFlow.Council.Notifications.MailLinks.Default);
        services.TryAddScoped<DeliberationFlow.Council.Notifications.Templates.MailRenderer>();
        services.TryAddSingleton<DeliberationFlow.Council.Notifications.Templates.MailTemplateCache>();
        services.TryAddSingleton<DeliberationFlow.Council.Committees.OrganizationDirectory>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.NotificationRecipients>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.OutcomeNotices>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.Templates.ManageMailTemplates>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.ManagePreferences>();
        services.TryAddScoped<DeliberationFlow.Council.Access.CallerBodyZone>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.FollowPapers>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.FollowCommittees>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.CommitteeFollowerNotices>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.CalendarFeed>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.EscalateOverdueSteps>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.CommitteeNotificationSettings>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.BodyNotificationSettings>();
        services.TryAddScoped<ListCommittees>();
        services.TryAddScoped<DeliberationFlow.Council.Audit.ListAuditEntries>();
        services.TryAddScoped<DeliberationFlow.Council.Access.ManageUsers>();
        services.TryAddScoped<CommitteeDeadlines>();
        services.TryAddScoped<ManageOrganizations>();
        services.TryAddScoped<ListMeetings>();
        services.TryAddScoped<ChangeMeeting>();
        services.TryAddScoped<ScheduleMeetings>();
        services.TryAddScoped<Agenda>();
        services.TryAddScoped<MeetingMinutes>();
        services.TryAddScoped<ExportMeetingArchive>();
        services.TryAddScoped<AgendaDraft>();
        services.TryAddScoped<ListAgendaCandidates>();
        services.TryAddScoped<AddAgendaItem>();
        services.TryAddScoped<WithdrawAgendaItem>();
        services.TryAddScoped<LockAgenda>();
        services.TryAddScoped<GetMeeting>();
        services.TryAddScoped<ListMyMeetings>();
        services.TryAddScoped<DeliberationFlow.Council.Workspace.ListAttention>();
        services.TryAddScoped<FireTimer>();
        services.TryAddScoped<DeliberationFlow.Council.Instances.ListWorkflowInstances>();
        services.TryAddScoped<DeliberationFlow.Council.Instances.FindWorkflowInstances>();
        services.TryAddScoped<DeliberationFlow.Council.Instances.ResolveIncident>();
        services.AddScoped<ITimerHandler, InvitationTimerHandler>();
        services.AddScoped<ITimerHandler, ReminderTimerHandler>();
        services.AddScoped<ITimerHandler, CirculationDeadlineTimerHandler>();
        services.AddScoped<ITimerHandler, CirculationReminderTimerHandler>();
        services.AddOptions<DeliberationFlow.Council.Circulations.CirculationOptions>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.CirculationNotices>();
        services.TryAddScoped<DeliberationFlow.Council.Circulations.CirculationSteps>();
        services.TryAddScoped<DeliberationFlow.Council.Circulations.StartCirculation>();
        services.TryAddScoped<DeliberationFlow.Council.Notifications.UrgentDecisionNotices>();
        services.TryAddScoped<UrgentDecisionSteps>();
        services.TryAddScoped<StartUrgentDecision>();
        services.TryAddScoped<DeliberationFlow.Council.Circulations.AnswerCirculation>();
        services.TryAddScoped<DeliberationFlow.Council.Circulations.CancelCirculation>();
        services.TryAddScoped<DeliberationFlow.Council.Circulations.GetCirculation>();
        services.TryAddScoped<DeliberationFlow.Council.Circulations.ListMyCirculations>();
        services.AddScoped<ITimerHandler, WaitTimerHandler>();
        return services;
    }
}
