using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;

namespace Recovery.Journeys.AspNetCore.Tests.Browser;

/// <summary>The dashboard in a real browser, as an operator uses it: no script on the pages, forms and links only.</summary>
public sealed class DashboardBrowserTests : IClassFixture<BrowserFixture>
{
    private readonly BrowserFixture _browser;

    public DashboardBrowserTests(BrowserFixture browser) => _browser = browser;

    private JourneyEngine Engine => _browser.Services.GetRequiredService<JourneyEngine>();

    [Fact]
    public async Task OpenTheDashboard_SeesEveryJourneyOverThePeriodPicked()
    {
        var page = await _browser.OpenAsync("/journeys/");
        await page.GetByRole(AriaRole.Link, new() { Name = "30 days" }).ClickAsync();

        (await page.Locator("table").First.InnerTextAsync()).Should().Contain("checkout-recovery").And.Contain("payment-retry");
        page.Url.Should().EndWith("period=30d");
        await _browser.ScreenshotAsync(page, "journeys");

        await page.GetByRole(AriaRole.Link, new() { Name = "checkout-recovery" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("checkout-recovery");
        (await page.Locator("figure svg").CountAsync()).Should().Be(2, "the funnel and the daily trend");
        await _browser.ScreenshotAsync(page, "journey");
    }

    [Fact]
    public async Task FindAnOrdersTimeline()
    {
        var order = (await Engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: "checkout-recovery"))).OrderBy(i => i.StartedAt).First().CorrelationKey;
        var page = await _browser.OpenAsync("/journeys/");

        await page.GetByRole(AriaRole.Link, new() { Name = "Instances" }).ClickAsync();
        await page.GetByLabel("Order id, customer id, correlation key or instance id").FillAsync(order);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.Locator("table tbody a").First.ClickAsync();

        (await page.Locator("h1").InnerTextAsync()).Should().EndWith("of " + order);
        (await page.Locator("table").InnerTextAsync()).Should().Contain("Entered").And.Contain("Europe/Paris");
        await _browser.ScreenshotAsync(page, "instance");
    }

    [Fact]
    public async Task PreviewAnEmail_InItsSandboxedFrame()
    {
        var page = await _browser.OpenAsync("/journeys/journey/checkout-recovery");

        await page.GetByRole(AriaRole.Link, new() { Name = "Preview its messages" }).ClickAsync();

        (await page.Locator("iframe").First.ContentFrame.Locator("h1").InnerTextAsync()).Should().Be("Hello Camille Exemple");
        (await page.Locator("iframe").First.GetAttributeAsync("sandbox")).Should().BeEmpty();
        (await page.Locator("main").InnerTextAsync()).Should().Contain("1 segment");
        await _browser.ScreenshotAsync(page, "preview");
    }

    [Fact]
    public async Task PauseThenResumeAJourney()
    {
        var page = await _browser.OpenAsync("/journeys/journey/payment-retry");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause payment-retry" }).ClickAsync();
        var paused = await page.Locator("main").InnerTextAsync();
        var pausesWhilePaused = await Engine.GetPausesAsync();
        await _browser.ScreenshotAsync(page, "paused");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume payment-retry" }).ClickAsync();

        paused.Should().Contain("payment-retry is paused").And.Contain("paused since");
        pausesWhilePaused.Should().ContainSingle(p => p.JourneyName == "payment-retry");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("payment-retry is running again");
        (await Engine.GetPausesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task EraseACustomer_WithConfirmation()
    {
        var customer = (await Engine.FindInstancesAsync(new JourneyInstanceQuery(JourneyName: "payment-retry"))).First().CustomerId!;
        var expected = (await Engine.FindInstancesAsync(new JourneyInstanceQuery(CustomerId: customer))).Count;
        var page = await _browser.OpenAsync("/journeys/instances");

        await page.GetByLabel("Customer id", new() { Exact = true }).FillAsync(customer);
        await page.GetByLabel("Again").FillAsync(customer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase customer" }).ClickAsync();

        (await page.Locator("main").InnerTextAsync()).Should().Contain($"Erased {expected} instance(s) of customer {customer}");
        (await Engine.FindInstancesAsync(new JourneyInstanceQuery(CustomerId: customer))).Should().BeEmpty();
        await _browser.ScreenshotAsync(page, "erased");
    }

    [Fact]
    public async Task Failures_ArePerChannel()
    {
        var page = await _browser.OpenAsync("/journeys/failures");

        (await page.Locator("h2").AllInnerTextsAsync()).Should().Contain("sms");
        await _browser.ScreenshotAsync(page, "failures");
    }
}
