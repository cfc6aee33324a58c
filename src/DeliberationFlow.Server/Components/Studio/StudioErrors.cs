using DeliberationFlow.Council.Common;
using DeliberationFlow.Engine.Definitions;

namespace DeliberationFlow.Server.Components.Studio;

/// <summary>How the studio words a refused call: the use case's own message, and what to do next.</summary>
public static class StudioErrors
{
    public static bool IsExpected(Exception ex) => ex is CouncilException;

    public static string Describe(Exception ex) => ex switch
    {
        RequestValidationException invalid => $"Nicht gespeichert: {invalid.Errors.Sum(e => e.Value.Length)} Problem(e) — sie sind an den betroffenen Schritten markiert. Beheben Sie sie und versuchen Sie es erneut.",
        ConflictException conflict => $"{conflict.Message} — laden Sie die Seite neu und versuchen Sie es noch einmal.",
        NotFoundException notFound => $"{notFound.Message} — prüfen Sie die Adresse oder wählen Sie aus der Liste.",
        ForbiddenException forbidden => $"{forbidden.Message} — melden Sie sich als Administrator an.",
        _ => ex.Message,
    };

    /// <summary>The problems of a refused document, each with its JSON path, for the designer to place on the steps.</summary>
    public static IReadOnlyList<DefinitionProblem> Problems(RequestValidationException invalid) =>
        invalid.Errors.SelectMany(e => e.Value.Select(message => new DefinitionProblem(e.Key, message))).ToList();
}
