namespace DeliberationFlow.Server;

/// <summary>
/// The council's own words as the studio shows them (outcomes such as „zurückgezogen“, „ja“/„nein“ ports). Kept apart
/// from <see cref="SharedResource"/> because resource names are unique regardless of case, and these lower-case words
/// would clash with the shell's capitalised labels of another meaning („Zurückgezogen“ for a retracted version).
/// </summary>
public sealed class VocabularyResource;
