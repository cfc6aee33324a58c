using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Circulations;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Timers;

/// <summary>
/// The Frist of an Umlaufverfahren has passed: one still open has answers missing (the last answer closes it), so it fails
/// as with an objection and the paper goes to the committee's next meeting. Run once by <see cref="FireTimer"/>, in the
/// transaction that claims the timer; a circulation ended before is left as it is.
/// </summary>
public sealed class CirculationDeadlineTimerHandler(ICouncilDb db, CirculationSteps steps) : ITimerHandler
{
    public string Kind => CirculationSteps.DeadlineTimer;

    public async Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var circulationId = Guid.Parse(timer.Key, CultureInfo.InvariantCulture);
        if (!await steps.TakeOpenAsync(circulationId, cancellationToken))
        {
            return TimerHandling.Skip("Das Umlaufverfahren ist bereits beendet.");
        }

        var circulation = await db.Circulations.Include(c => c.Votes).SingleAsync(c => c.Id == circulationId, cancellationToken);
        var zone = (await db.Bodies.GetAsync(circulation.BodyId, cancellationToken)).Zone;
        var missing = circulation.Votes.Where(v => v.Answer is null).Select(v => v.Name).Order(StringComparer.Ordinal).ToList();
        var reason = $"Frist {BodyClock.LocalText(circulation.Deadline, zone)} abgelaufen; keine Antwort von {string.Join(", ", missing)}.";
        var created = await steps.EndWithoutDecisionAsync(circulation, CirculationStatus.Failed, reason, "system", now, cancellationToken);
        return TimerHandling.Fired($"Umlaufverfahren gescheitert: {reason}", created);
    }
}
