using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Runtime;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Server.Api;

/// <summary>
/// The one place where a refused request becomes an RFC 9457 problem details response. Every refusal is
/// thrown before the use case commits, so a refused request has changed nothing.
/// </summary>
internal sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            RequestValidationException validation => new HttpValidationProblemDetails(validation.Errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is invalid.",
                Detail = "See 'errors' for each field and what is wrong with it.",
            },
            PayloadTooLargeException tooLarge => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [tooLarge.Field] = [tooLarge.Message] })
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request is too large.",
                Detail = tooLarge.Message,
            },
            NotFoundException => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = exception.Message },
            ForbiddenException => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Not allowed.", Detail = exception.Message },
            ConflictException or WorkflowStateException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The request conflicts with the current state.",
                Detail = exception.Message,
            },
            RetryLaterException => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database was busy with the same records; try again.",
                Detail = exception.Message,
            },
            // The endpoint is cleared before exception handlers run; the handler feature keeps the one that failed.
            BadHttpRequestException bad => UnreadableRequest.Describe(bad, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        problem.Instance = httpContext.Request.Path;
        if (exception is RetryLaterException)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}

internal static class ProblemResults
{
    public static ProblemHttpResult Validation(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
        });
}
