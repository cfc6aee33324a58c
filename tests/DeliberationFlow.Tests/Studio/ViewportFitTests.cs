using DeliberationFlow.Server.Components.Studio.Designer;

namespace DeliberationFlow.Tests.Studio;

/// <summary>"Fit to view": the bounding box fills the canvas, centred, between a readable minimum and 100 %.</summary>
public sealed class ViewportFitTests
{
    [Fact]
    public void AFlowWiderThanTheCanvas_IsZoomedOutJustEnough_AndCentred()
    {
        // Five steps in a row, 1290 px wide with the labels, in a canvas of 1000 × 600.
        var (zoom, panX, panY) = ViewportFit.Compute(100, 200, 1300, 300, 1000, 600);

        Assert.Equal(940.0 / 1290, zoom, 6);
        Assert.Equal(ViewportFit.Margin, panX + (100 * zoom), 6);
        Assert.Equal(300, panY + (250 * zoom), 6);
    }

    [Fact]
    public void ASmallFlow_IsNotEnlarged_ButCentred()
    {
        var (zoom, panX, panY) = ViewportFit.Compute(0, 0, 200, 70, 1000, 600);

        Assert.Equal(1, zoom);
        Assert.Equal((1000 - 290) / 2.0, panX, 6);
        Assert.Equal((600 - 70) / 2.0, panY, 6);
    }

    [Fact]
    public void AHundredStepFlow_StaysReadable_AndShowsItsStart()
    {
        var (zoom, panX, panY) = ViewportFit.Compute(40, 40, 26000, 400, 1000, 600);

        Assert.Equal(ViewportFit.MinimumZoom, zoom);
        Assert.Equal(ViewportFit.Margin, panX + (40 * zoom), 6);
        Assert.Equal(300, panY + (220 * zoom), 6);
    }
}
