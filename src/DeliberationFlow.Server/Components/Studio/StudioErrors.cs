using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;
using Microsoft.Extensions.Localization;

namespace DeliberationFlow.Server.Components.Studio;

/// <summary>How the studio words a refused call: the use case's own message, and what to do next.</summary>
public static class StudioErrors
{
    public static bool IsExpected(Exception ex) => ex is CouncilException;

    /// <summary>The advice is worded in the page's language (German wording as the resource key); the use case's message stays as it came.</summary>
    public static string Describe(Exception ex, IStringLocalizer<SharedResource> l) => ex switch
    {
        RequestValidationException invalid => l["Nicht gespeichert: {0} Problem(e) — sie sind an den betroffenen Schritten markiert. Beheben Sie sie und versuchen Sie es erneut.", invalid.Errors.Sum(e => e.Value.Length)],
        ConflictException conflict => l["{0} — laden Sie die Seite neu und versuchen Sie es noch einmal.", conflict.Message],
        NotFoundException notFound => l["{0} — prüfen Sie die Adresse oder wählen Sie aus der Liste.", notFound.Message],
        ForbiddenException forbidden => l["{0} — melden Sie sich als Administrator an.", forbidden.Message],
        _ => ex.Message,
    };

    /// <summary>The problems of a refused document, each with its JSON path, for the designer to place on the steps.</summary>
    public static IReadOnlyList<DefinitionProblem> Problems(RequestValidationException invalid) =>
        invalid.Errors.SelectMany(e => e.Value.Select(message => new DefinitionProblem(e.Key, message))).ToList();
}
