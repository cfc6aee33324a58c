using DeliberationFlow.Council.Model;

namespace DeliberationFlow.Council.Consultations;

/// <summary>
/// When a consultation's outcome may be recorded. A committee's results exist once its meeting has begun: an outcome
/// typed in before that is a mistake (the wrong item, the wrong meeting), and it would move the paper on and tell the
/// lead office of a decision nobody took. Before the meeting only what is decided without the committee's vote can be
/// recorded: the administration withdrew the paper, or the item was taken off the agenda. A consultation planned into
/// no meeting has no such limit.
/// </summary>
public static class OutcomeTiming
{
    public static bool MayRecordBeforeMeeting(Outcome outcome) => outcome is Outcome.Withdrawn or Outcome.RemovedFromAgenda;

    public static bool MayRecord(Outcome outcome, DateTimeOffset? meetingStart, DateTimeOffset now) =>
        meetingStart is not { } start || now >= start || MayRecordBeforeMeeting(outcome);
}
