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
}
