using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Meetings;
using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Council.Timers;
using DeliberationFlow.Engine.Runtime;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Council.Consultations;

/// <summary>
/// A correction of a recorded outcome as the minutes' correction (Protokollberichtigung) states it: the wording, the
/// resolution text or the tally. Omitted fields stay as recorded; an empty <see cref="ResolutionText"/> removes it.
/// <see cref="Reason"/> says why, for the journal.
/// </summary>
public sealed record CorrectOutcomeRequest(
    string? Reason, string? ResultText = null, string? ResolutionText = null, int? VotesFor = null, int? VotesAgainst = null, int? Abstentions = null);

/// <summary>
/// Corrects what was recorded of a consultation's outcome without changing the decision: the paper has already taken the
/// outcome's path through its workflow, so a wording that names another decision is refused (that is not a correction).
/// The committee's secretaries and admins may correct; the journal keeps the old and the new text, who and why.
/// </summary>
public sealed class CorrectOutcome(
    ICouncilDb db, PaperReader reader, OutcomeNotices notices, MeetingAttendance attendance, IOutboxSignal outbox, TimeProvider clock)
{
    private const int MaxReasonLength = 500;

    /// <summary>What a journal line holds (its column).</summary>
    private const int MaxJournalLineLength = 2000;

    public async Task<RecordOutcomeResponse> HandleAsync(Caller caller, Guid consultationId, CorrectOutcomeRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var consultation = await db.Consultations.SingleOrDefaultAsync(c => c.Id == consultationId && c.BodyId == caller.BodyId, cancellationToken);
        var paper = consultation is null ? null : await db.Papers.SingleOrDefaultAsync(p => p.Id == consultation.PaperId, cancellationToken);
        if (consultation is null || paper is null || !await reader.MaySeeAsync(caller, paper, cancellationToken))
        {
            throw new NotFoundException($"No consultation with id {consultationId}.");
        }

        var committee = await db.Organizations.GetAsync(consultation.OrganizationId, cancellationToken);
        if (!caller.MayRecordFor(committee.Id))
        {
            throw new ForbiddenException($"You may correct outcomes only of your own committees; '{committee.Name}' is not one of them.");
        }

        if (consultation.Outcome is not { } recorded || consultation.RecordedAt is null)
        {
            throw new ConflictException($"The consultation in '{committee.Name}' has no outcome recorded yet; record it instead of correcting it.");
        }

        var text = request.ResultText?.Trim();
        if (text is not null && Vocabulary.NormaliseOutcome(text) is { } named && named != recorded)
        {
            throw RequestValidationException.For("resultText",
                $"'{text}' names the outcome '{Vocabulary.Label(named)}', but '{Vocabulary.Label(recorded)}' was recorded and the paper has gone on from it; " +
                "a correction keeps the decision. Correct the wording only, or ask an admin to handle the paper's workflow.");
        }

        var before = RecordedOutcome.Of(consultation);
        consultation.ResultText = text ?? consultation.ResultText;
        if (request.ResolutionText is { } resolution)
        {
            consultation.ResolutionText = string.IsNullOrWhiteSpace(resolution) ? null : resolution.Trim();
        }

        if (request.VotesFor is not null || request.VotesAgainst is not null || request.Abstentions is not null)
        {
            consultation.VotesFor = request.VotesFor ?? consultation.VotesFor ?? 0;
            consultation.VotesAgainst = request.VotesAgainst ?? consultation.VotesAgainst ?? 0;
            consultation.Abstentions = request.Abstentions ?? consultation.Abstentions ?? 0;
            if (consultation.MeetingId is { } meetingId
                && MeetingAttendance.TallyProblem(await attendance.ReadAsync(await db.Meetings.GetAsync(meetingId, cancellationToken), cancellationToken),
                    consultation.VotesFor.Value, consultation.VotesAgainst.Value, consultation.Abstentions.Value) is { } problem)
            {
                throw RequestValidationException.For(OutcomeInput.TallyField(request.VotesFor, request.VotesAgainst), problem);
            }
        }

        if (RecordedOutcome.Of(consultation) == before)
        {
            throw RequestValidationException.For("resultText", "The correction changes nothing that was recorded; give the corrected wording, resolution text or votes.");
        }

        var now = clock.GetUtcNow();
        var reason = request.Reason!.Trim();
        consultation.Modified = now;
        consultation.Revision++;
        // The lead office acts on the decision and followers were told the outcome: they hear of the correction in the same save.
        var queued = await notices.QueueCorrectionAsync(consultation, committee, paper, before, reason, caller.UserName, now, cancellationToken);
        if (paper.WorkflowInstanceId is { } instanceId)
        {
            var instance = await db.WorkflowInstances.GetAsync(instanceId, cancellationToken);
            db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.OutcomeCorrected, now, caller.UserName,
                JournalLine(committee.Name, reason, before, RecordedOutcome.Of(consultation)),
                outcome: recorded.ToString()));
            if (queued.Count > 0)
            {
                db.Journal.Add(WorkflowJournal.Entry(instance, JournalEventKind.NotificationQueued, now, caller.UserName,
                    $"Berichtigung an {string.Join(", ", queued.Select(n => $"{n.RecipientName} <{n.RecipientAddress}>"))}."));
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The consultation row carries a revision: someone else changed it since it was read.
            throw new ConflictException($"The outcome in '{committee.Name}' was changed at the same moment; reload the paper and check before correcting again.");
        }

        outbox.MessagesQueued();

        var details = await reader.ReadAsync(caller, paper.Id, cancellationToken);
        return new RecordOutcomeResponse(details.Consultations.Single(c => c.Id == consultationId), details);
    }

    /// <summary>
    /// The journal's line of the correction, with the old and the new outcome. A resolution text may run to pages, more
    /// than a journal line holds: the line then cuts both resolution texts as far as it must (the whole texts stay on the
    /// consultation and go out with the notice), so a long Beschlusstext can be corrected.
    /// </summary>
    private static string JournalLine(string committee, string reason, RecordedOutcome before, RecordedOutcome after)
    {
        string Line(int? resolutionUpTo) =>
            $"{committee}: Ergebnis berichtigt ({reason}). Vorher: {before.Describe(resolutionUpTo: resolutionUpTo)}. Jetzt: {after.Describe(resolutionUpTo: resolutionUpTo)}.";

        var line = Line(null);
        return line.Length <= MaxJournalLineLength ? line : Line(Math.Max(0, (MaxJournalLineLength - Line(0).Length) / 2));
    }

    private static void Validate(CorrectOutcomeRequest request)
    {
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason);
        if (request.Reason is { Length: > MaxReasonLength })
        {
            errors.Add("reason", $"Give the reason in at most {MaxReasonLength} characters.");
        }

        if (request.ResultText is { } text && string.IsNullOrWhiteSpace(text))
        {
            errors.Add("resultText", "Give the corrected wording, or leave the field out to keep it.");
        }

        OutcomeInput.OneLine(errors, "resultText", request.ResultText, "The result is one line of text; remove line breaks and control characters.");
        OutcomeInput.OneLine(errors, "reason", request.Reason, "The reason is one line of text; remove line breaks and control characters.");
        OutcomeInput.Lengths(errors, request.ResultText, request.ResolutionText);
        OutcomeInput.Votes(errors, request.VotesFor, request.VotesAgainst, request.Abstentions);

        errors.ThrowIfAny();
    }
}
