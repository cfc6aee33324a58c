namespace DeliberationFlow.Server.Components.Studio.Designer;

/// <summary>
/// Where "fit to view" puts the diagram: the zoom that shows the nodes' bounding box (with room for the outcome labels
/// that stick out of the nodes' right edges) in the canvas, centred. The zoom stays between <see cref="MinimumZoom"/>,
/// below which the node titles cannot be read any more, and 100 % (a small flow is not blown up). A flow too large
/// for the canvas even at the minimum starts at its left (the start of the flow) and its top, and the admin pans on.
/// </summary>
public static class ViewportFit
{
    public const double MinimumZoom = 0.5;
    public const double MaximumZoom = 1;
    public const double Margin = 30;

    /// <summary>Outcome labels of links are drawn beside the node's right edge.</summary>
    public const double LabelOverhang = 90;

    public static (double Zoom, double PanX, double PanY) Compute(double left, double top, double right, double bottom, double width, double height)
    {
        var contentWidth = Math.Max(1, right - left + LabelOverhang);
        var contentHeight = Math.Max(1, bottom - top);
        var zoom = Math.Clamp(
            Math.Min((width - (2 * Margin)) / contentWidth, (height - (2 * Margin)) / contentHeight), MinimumZoom, MaximumZoom);
        return (zoom, Offset(left, contentWidth, width, zoom), Offset(top, contentHeight, height, zoom));
    }

    // Centred when it fits; otherwise the beginning stays in view, at the margin.
    private static double Offset(double start, double length, double available, double zoom) =>
        length * zoom <= available - (2 * Margin)
            ? ((available - (length * zoom)) / 2) - (start * zoom)
            : Margin - (start * zoom);
}
