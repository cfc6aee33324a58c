using DeliberationFlow.Server.Security;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace DeliberationFlow.Server.Api;

public static class ApiExtensions
{
    public static WebApplicationBuilder AddDeliberationApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        // A body or query value that cannot be bound is thrown to ProblemMapping, which names the field; by default
        // (outside Development) ASP.NET Core answers such a request with a bare 400 naming nothing.
        // The same holds for route values, which is why the API's routes carry no constraints ({id:guid}, {version:int}):
        // a value failing a constraint matches no endpoint and was answered with a bare 404; unconstrained, the typed
        // parameter fails to bind and is named (errors.id, errors.version) as a query value is.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.AddCalendarTokens();
        builder.Services.AddPaperFiles();
        builder.Services.AddCirculations();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        return builder;
    }

    public static WebApplication MapCouncilApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapPapersApi();
        api.MapPaperFilesApi();
        api.MapConsultationsApi();
        api.MapUrgentDecisionsApi();
        api.MapCommitteesApi();
        api.MapMeetingArchiveApi();
        api.MapInstancesApi();
        api.MapDefinitionsApi();
        api.MapNotificationsApi();
        api.MapUsersApi();
        api.MapPersonsApi();
        api.MapOrganizationsApi();
        api.MapAuditApi();
        app.MapCalendarFeed();
        app.MapPaperFileDownloads();
        app.MapMeetingArchiveDownloads();
        return app;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        // Probes of orchestrators and load balancers carry no credentials; they reveal nothing but up or down.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();

        app.MapOpenApi();
        app.MapScalarApiReference();

        // The dashboard is behind the operator policy; Hangfire's own local-requests-only filter is not needed then.
        app.MapHangfireDashboard("/jobs", new DashboardOptions { Authorization = [], DashboardTitle = "DeliberationFlow – Jobs" })
            .RequireAuthorization(SecurityExtensions.OperatorPolicy);
        return app;
    }
}
