using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Timers;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Council.Circulations;

/// <summary>Why the Umlaufverfahren is called off, as the secretary words it (optional).</summary>
public sealed record CancelCirculationRequest(string? Reason);

/// <summary>
/// The committee's secretary or an admin calls off an open circulation: the answers given stay on record, nothing is
/// decided, and the consultation goes to the committee's next meeting as after a failed one.
/// </summary>
public sealed class CancelCirculation(ICouncilDb db, CirculationSteps steps, ITimerScheduler timers, IOutboxSignal outbox, TimeProvider clock, ILogger<CancelCirculation> logger)
{
    public async Task<CirculationView> HandleAsync(Caller caller, Guid consultationId, CancelCirculationRequest request, CancellationToken cancellationToken)
    {
        var found = await steps.FindVisibleAsync(caller, consultationId, tracked: false, cancellationToken);
        if (!CirculationSteps.MayManage(caller, found))
        {
            throw new ForbiddenException("Only the committee's secretaries and admins call off an Umlaufverfahren; a member may object to it instead.");
        }

        if (request.Reason is { Length: > InputLimits.MaxReasonLength })
        {
            throw RequestValidationException.For("reason", $"Keep the reason to {InputLimits.MaxReasonLength} characters.");
        }

        var (view, created) = await db.InTransactionAsync(logger, $"Calling off the Umlaufverfahren {found.Id}", async ct =>
        {
            if (!await steps.TakeOpenAsync(found.Id, ct))
            {
                throw new ConflictException("The Umlaufverfahren has ended already; there is nothing to call off.");
            }

            var circulation = await steps.FindVisibleAsync(caller, consultationId, tracked: true, ct);
            var now = clock.GetUtcNow();
            var reason = string.IsNullOrWhiteSpace(request.Reason) ? $"Abgebrochen von {caller.UserName}." : $"Abgebrochen von {caller.UserName}: {request.Reason.Trim()}";
            var timers = await steps.EndWithoutDecisionAsync(circulation, CirculationStatus.Cancelled, reason, caller.UserName, now, ct);
            await db.SaveChangesAsync(ct);
            return (await steps.ViewAsync(caller, circulation, ct), timers);
        }, cancellationToken);
        await timers.ScheduleAsync(created, cancellationToken);
        outbox.MessagesQueued();
        return view;
    }
}
