using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Runtime;

namespace DeliberationFlow.Server.Web;

/// <summary>What a page says when a use case refuses: the kind of refusal in German, what to do, and the detail.</summary>
public sealed record UiProblem(string Title, string Remedy, string Detail, bool IsRefusal)
{
    public static UiProblem? From(Exception exception) => exception switch
    {
        RequestValidationException validation => new UiProblem(
            "Die Eingabe ist unvollständig oder ungültig.", "Bitte die markierten Angaben prüfen und erneut speichern.",
            string.Join(" ", validation.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))), false),
        PayloadTooLargeException => new UiProblem(
            "Die Datei ist zu groß.", "Nichts wurde gespeichert; verkleinern Sie das Dokument (z. B. als PDF mit geringerer Bildauflösung) oder teilen Sie es in Anlagen auf.", exception.Message, false),
        NotFoundException => new UiProblem(
            "Nicht gefunden.", "Prüfen Sie Aktenzeichen oder Link; nicht öffentliche Vorgänge sehen nur die beteiligten Gremien.", exception.Message, true),
        ForbiddenException => new UiProblem(
            "Kein Zugriff.", "Diese Aktion ist für Ihr Konto nicht freigegeben; wenden Sie sich an den Sitzungsdienst des Gremiums.", exception.Message, true),
        ConflictException or WorkflowStateException => new UiProblem(
            "Der Vorgang hat sich inzwischen geändert.", "Laden Sie die Seite neu und prüfen Sie den aktuellen Stand, bevor Sie es erneut versuchen.", exception.Message, false),
        RetryLaterException => new UiProblem(
            "Die Datenbank war mit denselben Vorgängen beschäftigt.", "Nichts wurde geändert; versuchen Sie es in einem Moment erneut.", exception.Message, false),
        _ => null,
    };
}
