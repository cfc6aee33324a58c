using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

/// <summary>Message templates (admins), the signed-in user's preferences, followed papers and calendar feed.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/mail-templates").WithTags("Notifications").RequireAuthorization(SecurityExtensions.AdminPolicy);
        templates.MapGet("/", ListTemplatesAsync).WithSummary("Every kind of message in every language: default or the body's own");
        templates.MapGet("/{kind}/{language}", GetTemplateAsync)
            .WithSummary("A template's subject, text and HTML part, and the fields it may name")
            .ProducesProblem(StatusCodes.Status404NotFound);
        templates.MapPut("/{kind}/{language}", SaveTemplateAsync)
            .WithSummary("Stores the body's own template; refused with line and column when it does not parse or names an unknown field")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        templates.MapDelete("/{kind}/{language}", ResetTemplateAsync)
            .WithSummary("Returns to the shipped default")
            .ProducesProblem(StatusCodes.Status404NotFound);
        templates.MapPost("/{kind}/{language}/preview", PreviewAsync)
            .WithSummary("Renders the template in force, or the one in the request, with sample data")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var settings = api.MapGroup("/notification-settings").WithTags("Notifications").RequireAuthorization(SecurityExtensions.AdminPolicy);
        settings.MapGet("/", BodySettingsAsync).WithSummary("The body's default delivery for members who have not chosen: one message per meeting (digest) or per item");
        settings.MapPut("/", SaveBodySettingsAsync)
            .WithSummary("Changes it (admins); a member's own choice always wins")
            .ProducesValidationProblem();

        var me = api.MapGroup("/me").WithTags("Notifications");
        me.MapGet("/notification-preferences", GetPreferencesAsync).WithSummary("Language, digest or single messages, kinds turned off");
        me.MapPut("/notification-preferences", SavePreferencesAsync)
            .WithSummary("Changes the signed-in user's preferences (null leaves one as it is; delivery \"bodyDefault\" returns to the body's default); mandatory kinds (invitation, meeting change, escalation) cannot be turned off")
            .ProducesValidationProblem();
        me.MapGet("/followed-papers", FollowedAsync).WithSummary("The papers the signed-in user follows");
        me.MapGet("/followed-committees", FollowedCommitteesAsync).WithSummary("The committees the signed-in user follows");
        me.MapGet("/calendar", CalendarLinkAsync).WithSummary("The signed-in user's personal iCalendar URL (the token in it is the credential)");
        me.MapPost("/calendar/revoke", RevokeCalendarAsync).WithSummary("Revokes every calendar URL handed out so far and returns a new one");

        api.MapPut("/papers/{id}/follow", FollowAsync).WithTags("Notifications")
            .WithSummary("Follows a paper: its outcome, deferral and referral notices come by e-mail")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/papers/{id}/follow", UnfollowAsync).WithTags("Notifications").WithSummary("Stops following a paper");
        api.MapPut("/committees/{key}/follow", FollowCommitteeAsync).WithTags("Notifications")
            .WithSummary("Follows a committee: the public agenda of each of its meetings comes by e-mail when the meeting is invited")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/committees/{key}/follow", UnfollowCommitteeAsync).WithTags("Notifications").WithSummary("Stops following a committee")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/committees/{key}/notification-settings", CommitteeSettingsAsync).WithTags("Notifications")
            .WithSummary("Days before a meeting members are reminded; days after it an open step is escalated")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/committees/{key}/notification-settings", SaveCommitteeSettingsAsync).WithTags("Notifications")
            .WithSummary("Changes them (admins); reminders planned from then on use the new value")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The feed itself carries no login: calendar programs cannot send one, so the signed token is the credential.</summary>
    public static WebApplication MapCalendarFeed(this WebApplication app)
    {
        app.MapGet("/api/calendar/{token}.ics", FeedAsync).AllowAnonymous().WithTags("Notifications")
            .WithSummary("A personal iCalendar feed of meetings, addressed by its signed, revocable token")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static IServiceCollection AddCalendarTokens(this IServiceCollection services)
    {
        // Signed with the key ring every node shares (AddDeliberationSecurity).
        services.AddSingleton<ICalendarTokenProtector, DataProtectionCalendarTokens>();
        return services;
    }

    private static async Task<Ok<IReadOnlyList<FollowedCommittee>>> FollowedCommitteesAsync(FollowCommittees follow, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await follow.ListAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<FollowedCommittee>> FollowCommitteeAsync(string key, FollowCommittees follow, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await follow.FollowAsync(http.User.ToCaller(), key, cancellationToken));

    private static async Task<NoContent> UnfollowCommitteeAsync(string key, FollowCommittees follow, HttpContext http, CancellationToken cancellationToken)
    {
        await follow.UnfollowAsync(http.User.ToCaller(), key, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<MailTemplateSummary>>> ListTemplatesAsync(ManageMailTemplates templates, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await templates.ListAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<MailTemplateView>> GetTemplateAsync(string kind, string language, ManageMailTemplates templates, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await templates.GetAsync(http.User.ToCaller(), kind, language, cancellationToken));

    private static async Task<Ok<MailTemplateView>> SaveTemplateAsync(
        string kind, string language, SaveMailTemplateRequest request, ManageMailTemplates templates, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await templates.SaveAsync(http.User.ToCaller(), kind, language, request, cancellationToken));

    private static async Task<Ok<MailTemplateView>> ResetTemplateAsync(string kind, string language, ManageMailTemplates templates, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await templates.ResetAsync(http.User.ToCaller(), kind, language, cancellationToken));

    private static async Task<Ok<RenderedMail>> PreviewAsync(
        string kind, string language, SaveMailTemplateRequest? request, ManageMailTemplates templates, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await templates.PreviewAsync(http.User.ToCaller(), kind, language, request, cancellationToken));

    private static async Task<Ok<PreferencesView>> GetPreferencesAsync(ManagePreferences preferences, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await preferences.GetAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<PreferencesView>> SavePreferencesAsync(SavePreferencesRequest request, ManagePreferences preferences, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await preferences.SaveAsync(http.User.ToCaller(), request, cancellationToken));

    private static async Task<Ok<IReadOnlyList<FollowedPaper>>> FollowedAsync(FollowPapers follow, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await follow.ListAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<FollowedPaper>> FollowAsync(Guid id, FollowPapers follow, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await follow.FollowAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<NoContent> UnfollowAsync(Guid id, FollowPapers follow, HttpContext http, CancellationToken cancellationToken)
    {
        await follow.UnfollowAsync(http.User.ToCaller(), id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<BodyNotificationSettingsView>> BodySettingsAsync(BodyNotificationSettings settings, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.GetAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<BodyNotificationSettingsView>> SaveBodySettingsAsync(
        SaveBodyNotificationSettingsRequest request, BodyNotificationSettings settings, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.SaveAsync(http.User.ToCaller(), request, cancellationToken));

    private static async Task<Ok<CommitteeNotificationSettingsView>> CommitteeSettingsAsync(
        string key, CommitteeNotificationSettings settings, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.GetAsync(http.User.ToCaller(), key, cancellationToken));

    private static async Task<Ok<CommitteeNotificationSettingsView>> SaveCommitteeSettingsAsync(
        string key, SaveCommitteeNotificationSettingsRequest request, CommitteeNotificationSettings settings, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.SaveAsync(http.User.ToCaller(), key, request, cancellationToken));

    private static async Task<Ok<CalendarFeedLink>> CalendarLinkAsync(CalendarFeed feed, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await feed.LinkAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Ok<CalendarFeedLink>> RevokeCalendarAsync(CalendarFeed feed, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await feed.RevokeAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<IResult> FeedAsync(string token, CalendarFeed feed, CancellationToken cancellationToken) =>
        TypedResults.Text(await feed.RenderAsync(token, cancellationToken), "text/calendar; charset=utf-8");

    /// <summary>Signs with ASP.NET Core Data Protection; URL-safe, so the token fits in a path segment.</summary>
    private sealed class DataProtectionCalendarTokens(IDataProtectionProvider provider) : ICalendarTokenProtector
    {
        private readonly IDataProtector _protector = provider.CreateProtector("DeliberationFlow.CalendarFeed.v1");

        public string Protect(string payload) => Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Encode(_protector.Protect(System.Text.Encoding.UTF8.GetBytes(payload)));

        public string? Unprotect(string token)
        {
            try
            {
                return System.Text.Encoding.UTF8.GetString(_protector.Unprotect(Microsoft.AspNetCore.WebUtilities.Base64UrlTextEncoder.Decode(token)));
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
            {
                return null;
            }
        }
    }
}
