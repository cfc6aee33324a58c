using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DeliberationFlow.Tests.Ui;

/// <summary>Picking from a MudSelect as a person does: open it, click the item, and wait until its list has closed and the value shows.</summary>
public static class MudSelects
{
    public static async Task ChooseAsync(IPage page, string container, string text)
    {
        await page.Locator($"{container} .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = text }).First.ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await Expect(page.Locator($"{container} input").First).ToHaveValueAsync(new Regex(".+"));
    }

    /// <summary>
    /// Ticks items of a multiple-choice MudSelect, waits until the select shows them, and closes its list (which stays open
    /// between ticks) as a person does: Escape, or a click beside it when the keyboard's focus was not on the list.
    /// </summary>
    public static async Task ChooseManyAsync(IPage page, string container, params string[] texts)
    {
        await page.Locator($"{container} .mud-select").First.ClickAsync();
        foreach (var text in texts)
        {
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = text }).First.ClickAsync();
            await Expect(page.Locator($"{container} input").First).ToHaveValueAsync(new Regex(Regex.Escape(text)));
        }

        var list = page.Locator(".mud-popover-open .mud-list-item");
        await page.Keyboard.PressAsync("Escape");
        if (await list.CountAsync() > 0 && await page.Locator("h4").First.BoundingBoxAsync() is { } heading)
        {
            // A plain click on the page's heading: the list's overlay, if it lies above it, takes the click and closes.
            await page.Mouse.ClickAsync(heading.X + 5, heading.Y + 5);
        }

        await Expect(list).ToHaveCountAsync(0);
    }
}
