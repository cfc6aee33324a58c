using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace DeliberationFlow.Server.Demo;

/// <summary>
/// The demo's Vorlage of 21-15813 as a real, one-page PDF, written when the demo is loaded rather than kept in the repo
/// (about 2 KB), so the paper's page lists a document and OParl serves a File with its text. It says it is no document of
/// the city's. Standard-14 Helvetica has no umlauts in PdfPig's encoding (ß and „“ it has), hence the wording.
/// </summary>
internal static class DemoVorlage
{
    public const string FileName = "21-15813 Beschlussvorlage Smart City.pdf";

    private static readonly string[] Lines =
    [
        "Stadt Braunschweig – Fachbereich 10 Zentrale Dienste",
        "",
        "Beschlussvorlage 21-15813 vom 01.04.2021",
        "Smart City: Einrichtung einer Stabsstelle und Anpassung des Stellenplans",
        "",
        "Beschlussvorschlag:",
        "Zur Umsetzung der Smart City Strategie wird im Fachbereich 10 die Stabsstelle",
        "„Smart City“ eingerichtet. Der Stellenplan 2021 wird um zwei Stellen erweitert.",
        "",
        "Beratungsfolge: Finanz- und Personalausschuss, Verwaltungsausschuss, Rat.",
        "",
        "Demo-Dokument, erzeugt beim Laden der Demodaten; kein Dokument der Stadt Braunschweig.",
    ];

    public static byte[] Build()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        var y = 780.0;
        foreach (var line in Lines)
        {
            if (line.Length > 0)
            {
                page.AddText(line, 11, new PdfPoint(56, y), font);
            }

            y -= 16;
        }

        return builder.Build();
    }
}
