using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WorldModel.Demo.Tests;

/// <summary>
/// End to end in a real browser: Debian's chromium, headless, driven by Playwright. CI installs
/// chromium from Debian packages (scripts/ensure-deps.sh --tests); Playwright's own browser download
/// cannot work here, so the test names the executable.
/// </summary>
[Collection("demo")]
public sealed class DemoBrowserTests(DemoFixture fixture, ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task DraggingTheAgentClickingAGoalAndRunningReachesItWithOverlaysDrawn()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var (page, errors) = await OpenPage(browser, host.Address);

        // The canvas is 640 px for the 64-unit arena (10 px per unit). Drag the agent from (12, 42) to (14, 44).
        var box = (await page.Locator("#world").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 120, box.Y + 420);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + 130, box.Y + 430, new() { Steps = 5 });
        await page.Mouse.MoveAsync(box.X + 140, box.Y + 440, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        await WaitUntil(() => MathF.Abs(host.Session.Latest.Agent[0] - 14f) < 0.2f
                && MathF.Abs(host.Session.Latest.Agent[1] - 44f) < 0.2f,
            () => $"dragging did not move the agent to (14, 44): it is at ({host.Session.Latest.Agent[0]}, "
                + $"{host.Session.Latest.Agent[1]})");

        // Clicking at (200, 360) sets the goal at (20, 36).
        await page.Locator("#world").ClickAsync(new() { Position = new() { X = 200, Y = 360 } });
        await WaitUntil(() => MathF.Abs(host.Session.Latest.Goal[0] - 20f) < 0.2f
                && MathF.Abs(host.Session.Latest.Goal[1] - 36f) < 0.2f,
            () => $"the click did not set the goal at (20, 36): the goal is ({host.Session.Latest.Goal[0]}, "
                + $"{host.Session.Latest.Goal[1]})");
        int updatesBefore = await page.EvaluateAsync<int>("() => window.demoStats.updates");
        var running = System.Diagnostics.Stopwatch.StartNew();
        await page.ClickAsync("#run");
        await page.WaitForFunctionAsync("() => document.getElementById('statusText').textContent === 'reached'",
            null, new() { Timeout = 90_000 });

        var stats = await page.EvaluateAsync<JsonElement>("() => window.demoStats");
        // Reported, not asserted (speed is measured by `wm bench demo`): how often the page redrew while the agent ran.
        output.WriteLine($"page redraws while running: "
            + $"{(stats.GetProperty("updates").GetInt32() - updatesBefore) / running.Elapsed.TotalSeconds:F1}/s "
            + $"over {running.Elapsed.TotalSeconds:F1} s");
        Assert.True(stats.GetProperty("pathsDrawn").GetInt32() > 0, "no planned path was drawn");
        Assert.True(stats.GetProperty("candidatesDrawn").GetInt32() > 0, "no sampled plans were drawn");
        Assert.True(stats.GetProperty("costsDrawn").GetInt32() > 0, "no cost curve was drawn");
        Assert.True(stats.GetProperty("imaginedShown").GetInt32() > 0, "no imagined frames were shown");
        Assert.True(await page.Locator("#frames img").CountAsync() >= 2,
            "the real and imagined frames are not on the page");
        Assert.Equal("reached", host.Session.Latest.Status);

        // The screenshots are the test's artifacts: TestResults/demo-page.png (and demo-page-two-level.png) at the
        // repository root.
        string artifacts = Path.Combine(Repository.Root, "TestResults");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "demo-page.png"), FullPage = true });

        // The flat / two-level switch: offered for the JEPA (its high level ships) and for the oracle, whose high
        // level's subgoals are then drawn.
        Assert.False(await page.Locator("#twoLevel").IsDisabledAsync(), "two levels not offered with a high level loaded");
        await page.SelectOptionAsync("#model", "oracle");
        await page.FillAsync("#horizon", "48");
        await page.Locator("#horizon").DispatchEventAsync("change");
        await WaitUntil(() => host.Session.Latest.Settings is { Model: "oracle", PlannerHorizon: 48 },
            () => $"the page did not select the oracle with H = 48: {host.Session.Latest.Settings}");
        await page.WaitForFunctionAsync("() => !document.getElementById('twoLevel').disabled");
        await page.CheckAsync("#twoLevel");
        await WaitUntil(() => host.Session.Latest.Settings.TwoLevel,
            () => "ticking the two-level box did not switch the session to two levels");
        await page.WaitForFunctionAsync("() => document.getElementById('horizon').value === '48'");
        await page.Locator("#world").ClickAsync(new() { Position = new() { X = 500, Y = 400 } }); // goal (50, 40)
        await WaitUntil(() => host.Session.Latest.Goal[0] == 50f, () => "the across-the-wall goal was not set");
        await page.ClickAsync("#step1");
        await page.WaitForFunctionAsync("() => window.demoStats.subgoalsDrawn > 0", null, new() { Timeout = 30_000 });
        Assert.NotEmpty(host.Session.Latest.Subgoals);
        Assert.Contains("Two levels", await page.Locator("#aim").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new()
        {
            Path = Path.Combine(artifacts, "demo-page-two-level.png"),
            FullPage = true,
        });
        Assert.True(errors.Count == 0, "the page reported errors: " + string.Join("; ", errors));

        // On a 1024 × 768 classroom projector nothing scrolls sideways and the status row is above the fold.
        await page.SetViewportSizeAsync(1024, 768);
        var fit = await page.EvaluateAsync<JsonElement>("""
            () => ({ scrollWidth: document.documentElement.scrollWidth,
                     statusBottom: document.querySelector(".status").getBoundingClientRect().bottom })
            """);
        Assert.True(fit.GetProperty("scrollWidth").GetDouble() <= 1024,
            $"the page is {fit.GetProperty("scrollWidth")} px wide at 1024 px: it scrolls sideways");
        Assert.True(fit.GetProperty("statusBottom").GetDouble() <= 768,
            $"the status row ends at {fit.GetProperty("statusBottom")} px, below a 768 px screen");
    }

    private static Task<IBrowser> Launch(IPlaywright playwright)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium "
            + $"(sudo apt-get install chromium, or run ./test, which installs it)");
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage"
            ],
        });
    }

    [Fact]
    public async Task Given_the_page_When_explore_is_chosen_and_run_Then_the_heatmap_and_the_why_are_shown()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var (page, errors) = await OpenPage(browser, host.Address);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.demoStats.heatmapsDrawn"));

        await page.SelectOptionAsync("#mode", "explore");
        await WaitUntil(() => host.Session.Latest.Settings.Mode == DemoSettings.Explore,
            () => "choosing explore on the page did not switch the session to explore mode");
        await page.ClickAsync("#run");
        await WaitUntil(() => host.Session.Latest.Step >= 10, () => $"only {host.Session.Latest.Step} steps");
        await page.ClickAsync("#pause");
        await page.WaitForFunctionAsync("() => window.demoStats.heatmapsDrawn > 0");
        await page.WaitForFunctionAsync("() => document.getElementById('why').textContent.startsWith('heading to')");
        string artifacts = Path.Combine(Repository.Root, "TestResults");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "demo-page-explore.png"), FullPage = true });
        Assert.True(errors.Count == 0, "the page reported errors: " + string.Join("; ", errors));
    }

    private static async Task WaitUntil(Func<bool> condition, Func<string> message)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(message());
            await Task.Delay(20);
        }
    }

    /// <summary>The demo page, loaded and updated once, with every page and console error collected.</summary>
    private static async Task<(IPage Page, List<string> Errors)> OpenPage(IBrowser browser, string address)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.GotoAsync(address);
        await page.WaitForFunctionAsync("() => window.demoStats.updates > 0");
        return (page, errors);
    }
}
