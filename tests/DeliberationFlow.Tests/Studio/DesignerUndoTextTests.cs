using System.Globalization;
using DeliberationFlow.Server;
using DeliberationFlow.Server.Components.Studio.Designer;
using DeliberationFlow.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace DeliberationFlow.Tests.Studio;

/// <summary>The designer's undo and redo labels follow the UI language: every change it can undo has English words.</summary>
public sealed class DesignerUndoTextTests
{
    private const string Small = """
        { "definitionId": "klein", "version": 1, "name": "Klein", "state": "draft",
          "activities": [
            { "id": "start", "type": "Start", "designer": { "x": 0, "y": 0 } },
            { "id": "fpa", "type": "Consultation", "properties": { "committee": "fpa", "role": "Vorberatung" }, "designer": { "x": 200, "y": 0 } },
            { "id": "end", "type": "End", "designer": { "x": 400, "y": 0 } } ],
          "connections": [
            { "source": "start", "outcome": "Done", "target": "fpa" },
            { "source": "fpa", "outcome": "Adopted", "target": "end" } ] }
        """;

    [Fact]
    public void EveryUndoableChange_IsWordedInEnglish_WithItsValues()
    {
        var state = DesignerState.Load(CouncilActivities.Registry(), Small).State!;
        var english = new List<string>();
        var german = new List<string>();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        try
        {
            using var services = new ServiceCollection().AddLogging().AddLocalization(options => options.ResourcesPath = "Resources").BuildServiceProvider();
            var localizer = services.GetRequiredService<IStringLocalizer<SharedResource>>();
            void Step(Action change)
            {
                change();
                var text = state.UndoText!;
                Assert.True(localizer[text.Format].ResourceNotFound is false, $"No English for the undo label “{text.Format}”.");
                english.Add(text.In(localizer));
                german.Add(state.UndoLabel!);
            }

            Step(() => state.MoveActivity("fpa", 250, 40));
            Step(() => state.SetText("fpa", "committee", "va"));
            Step(() => state.SetDisplayName("fpa", "Finanzen"));
            Step(() => state.Disconnect("fpa", "Adopted"));
            Step(() => state.Connect("fpa", "Adopted", "end"));
            Step(() => state.RenameActivity("fpa", "finanzen"));
            Step(() => state.SetInfo("Klein", "Kurz"));
            Step(() => state.AutoLayout());
            Step(() => state.AddActivity("Consultation", 600, 0));
            Step(() => state.RemoveActivity("finanzen"));
            state.Undo();
            Assert.Equal("'finanzen' removed", state.RedoText!.In(localizer));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        Assert.Equal("'fpa' moved", english[0]);
        Assert.Equal("'committee' of 'fpa' changed", english[1]);
        Assert.Equal("Connection 'fpa' (Adopted) removed", english[3]);
        Assert.Equal("'fpa' renamed to 'finanzen'", english[5]);
        Assert.Equal("Arranged automatically", english[7]);
        Assert.EndsWith(" added", english[8], StringComparison.Ordinal);

        // The German label stays as it was: the German UI shows it.
        Assert.Equal("Verbindung 'fpa' (Adopted) gelöst", german[3]);
        Assert.Equal("Automatisch angeordnet", german[7]);
    }
}
