using System.Globalization;
using DeliberationFlow.Council.Calendar;
using DeliberationFlow.Council.Model;

namespace DeliberationFlow.Council.Notifications;

/// <summary>The wording of the council's e-mails (German, as councils write them).</summary>
public static class Notices
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static OutboxMessage Invitation(
        Guid consultationId, Person member, Organization committee, Meeting meeting, Paper paper, Body body, DateTimeOffset now)
    {
        var start = BodyClock.ToLocal(meeting.Start, body.Zone);
        var date = start.ToString("dd.MM.yyyy", German);
        var text = $"""
            Guten Tag {member.Name},

            hiermit werden Sie zur Sitzung des Gremiums „{committee.Name}“ eingeladen.

            Termin: {start.ToString("dddd, dd.MM.yyyy, HH:mm", German)} Uhr
            Ort: {meeting.Location ?? "wird noch bekannt gegeben"}
            Sitzung: {meeting.Name}

            Zur Beratung steht:
              {paper.Reference} – {paper.Name} ({paper.PaperType})

            Mit freundlichen Grüßen
            {body.Name}
            """;
        return ToMember("invitation", consultationId, member, $"Einladung: {committee.Name} am {date} – {paper.Reference}", text, paper, body, now);
    }

    public static OutboxMessage Reminder(
        Guid consultationId, Person member, Organization committee, Meeting meeting, Paper paper, Body body, DateTimeOffset now)
    {
        var start = BodyClock.ToLocal(meeting.Start, body.Zone);
        var text = $"""
            Guten Tag {member.Name},

            zur Erinnerung: morgen, {start.ToString("dddd, dd.MM.yyyy, HH:mm", German)} Uhr, tagt das Gremium „{committee.Name}“
            ({meeting.Location ?? "Ort wird noch bekannt gegeben"}).

            Auf der Tagesordnung steht unter anderem:
              {paper.Reference} – {paper.Name} ({paper.PaperType})

            Mit freundlichen Grüßen
            {body.Name}
            """;
        return ToMember("reminder", consultationId, member, $"Erinnerung: {committee.Name} am {start.ToString("dd.MM.yyyy", German)} – {paper.Reference}", text, paper, body, now);
    }

    /// <summary>A notice to one member about one consultation; its key makes a second one for the same pair impossible.</summary>
    private static OutboxMessage ToMember(string kind, Guid consultationId, Person member, string subject, string text, Paper paper, Body body, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        BodyId = body.Id,
        Kind = kind,
        DeduplicationKey = $"{kind}:{consultationId}:{member.Id}",
        RecipientAddress = member.Email!,
        RecipientName = member.Name,
        Subject = subject,
        TextBody = text,
        PaperId = paper.Id,
        CreatedAt = now,
        NextAttemptAt = now,
    };

    public static OutboxMessage OutcomeNotice(
        Consultation consultation, Organization leadOffice, Organization committee, Meeting? meeting, Paper paper, Body body, DateTimeOffset now)
    {
        var when = meeting is null ? "ohne Sitzung" : BodyClock.ToLocal(meeting.Start, body.Zone).ToString("dd.MM.yyyy", German);
        var done = paper.Status switch
        {
            PaperStatus.Done => "\nDie Beratungsfolge ist abgeschlossen; die Vorlage ist erledigt.\n",
            PaperStatus.Withdrawn => "\nDie Vorlage ist zurückgezogen.\n",
            _ => "",
        };
        var text = $"""
            Guten Tag,

            zur Vorlage {paper.Reference} „{paper.Name}“ liegt ein Beratungsergebnis vor:

            Gremium: {committee.Name} ({consultation.RoleText})
            Sitzung: {when}
            Ergebnis: {consultation.ResultText}
            {(string.IsNullOrWhiteSpace(consultation.ResolutionText) ? "" : "Beschlusstext: " + consultation.ResolutionText)}
            {done}
            Mit freundlichen Grüßen
            {body.Name}
            """;
        return new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            BodyId = body.Id,
            Kind = "outcome-notice",
            DeduplicationKey = $"outcome-notice:{consultation.Id}:{leadOffice.Id}",
            RecipientAddress = leadOffice.Email!,
            RecipientName = leadOffice.Name,
            Subject = $"Beratungsergebnis {paper.Reference}: {committee.Name} am {when} – {consultation.ResultText}",
            TextBody = text,
            PaperId = paper.Id,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }
}
