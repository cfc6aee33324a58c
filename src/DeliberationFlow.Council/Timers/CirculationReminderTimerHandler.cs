using System.Globalization;
using DeliberationFlow.Council.Circulations;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Timers;

/// <summary>
/// Before the Frist of an Umlaufverfahren: the members who have not answered yet get the <c>circulation-reminder</c> mail.
/// Run once by <see cref="FireTimer"/>, in the transaction that claims the timer; the circulation's row is taken as an answer
/// takes it, so who has answered is read as of now. An ended circulation called this timer off; one ended meanwhile is skipped.
/// </summary>
public sealed class CirculationReminderTimerHandler(ICouncilDb db, CirculationSteps steps, CirculationNotices notices) : ITimerHandler
{
    public string Kind => CirculationSteps.ReminderTimer;

    public async Task<TimerHandling> HandleAsync(WorkflowTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var circulationId = Guid.Parse(timer.Key, CultureInfo.InvariantCulture);
        if (!await steps.TakeOpenAsync(circulationId, cancellationToken))
        {
            return TimerHandling.Skip("Das Umlaufverfahren ist bereits beendet.");
        }

        var circulation = await db.Circulations.AsNoTracking().Include(c => c.Votes).SingleAsync(c => c.Id == circulationId, cancellationToken);
        var consultation = await db.Consultations.GetAsync(circulation.ConsultationId, cancellationToken);
        var paper = await db.Papers.GetAsync(circulation.PaperId, cancellationToken);
        var committee = await db.Organizations.GetAsync(circulation.OrganizationId, cancellationToken);
        var body = await db.Bodies.GetAsync(circulation.BodyId, cancellationToken);
        var queued = await notices.QueueReminderAsync(circulation, committee, paper, consultation, body, now, cancellationToken);
        var missing = circulation.Votes.Count(v => v.Answer is null);
        return TimerHandling.Fired(queued.Count == 0
            ? $"Umlaufverfahren: keine Erinnerung nötig ({missing} Antworten fehlen, niemand davon mit E-Mail-Adresse)."
            : $"Umlaufverfahren: Erinnerung an {string.Join(", ", queued.Select(n => $"{n.RecipientName} <{n.RecipientAddress}>"))}.");
    }
}
