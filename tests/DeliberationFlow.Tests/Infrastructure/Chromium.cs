using Microsoft.Playwright;

namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by scripts/test.sh) driven by Playwright's .NET driver, which
/// ships inside the NuGet package; one browser per test class, a fresh context (cookies) per session.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // Web-first assertions wait for the page; on two shared cores a Blazor round trip can take longer than
        // Playwright's 5 s default, so they get as long as any other action here.
        Assertions.SetDefaultExpectTimeout(20_000);
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing; scripts/test.sh installs it (apt-get install chromium).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>One signed-in user in their own browser context, on one running service.</summary>
public sealed class UiSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private UiSession(IBrowserContext context, IPage page, string baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
    }

    public IPage Page { get; }
    public string BaseUrl { get; }

    public static async Task<UiSession> OpenAsync(Chromium chromium, TestApp app)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl, Locale = "de-DE", TimezoneId = "Europe/Berlin", ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        return new UiSession(context, await context.NewPageAsync(), app.BaseUrl);
    }

    public static async Task<UiSession> SignInAsync(Chromium chromium, TestApp app, string userName, string password = "demo")
    {
        var session = await OpenAsync(chromium, app);
        await session.Page.GotoAsync("/account/signin");
        await session.Page.FillAsync("#username", userName);
        await session.Page.FillAsync("#password", password);
        await session.Page.ClickAsync("#signin");
        await session.WaitUntilInteractiveAsync();
        return session;
    }

    /// <summary>Opens a page and waits until the circuit is live (clicks sent earlier would be lost).</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitUntilInteractiveAsync();
    }

    public Task WaitUntilInteractiveAsync() =>
        Page.Locator("#ready[data-interactive=yes]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Full-page screenshot under TestResults/screenshots of the repository: a test artifact.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        // Transitions are played to their end: a button just enabled would otherwise still show its disabled grey.
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "TestResults", "screenshots");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DeliberationFlow.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
