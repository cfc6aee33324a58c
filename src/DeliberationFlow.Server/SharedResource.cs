namespace DeliberationFlow.Server;

/// <summary>
/// The UI's texts. The German wording is the key (German first: without a translation the page stays German);
/// Resources/SharedResource.en.resx holds the English alternative.
/// </summary>
public sealed class SharedResource;
