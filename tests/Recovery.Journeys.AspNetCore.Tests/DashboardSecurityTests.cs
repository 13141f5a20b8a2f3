using System.Net;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class DashboardSecurityTests
{
    private static readonly Dictionary<string, string> Admit = new() { ["admit"] = "true" };

    [Fact]
    public async Task WithoutAPolicy_ARemoteRequestIsRefused_AndALocalOneServedWithTheNotice()
    {
        await using var host = await DashboardHost.StartAsync();
        var client = host.CreateClient();

        var remote = await DashboardForms.GetAsync(client, "/journeys/", remote: true);
        var local = await DashboardForms.GetAsync(client, "/journeys/");

        remote.Status.Should().Be(HttpStatusCode.Forbidden);
        remote.Body.Should().Contain("serves local requests only");
        local.Status.Should().Be(HttpStatusCode.OK);
        local.Body.Should().Contain("answers requests from this machine only");
    }

    [Fact]
    public async Task WithoutAPolicy_ARemoteActionIsRefused()
    {
        await using var host = await DashboardHost.StartAsync();
        using var request = DashboardForms.Request(HttpMethod.Post, "/journeys/journey/checkout-recovery/pause", remote: true);
        request.Content = new FormUrlEncodedContent(Admit);

        using var response = await host.CreateClient().SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await host.Engine.GetPausesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AnAction_WithoutItsAntiforgeryToken_IsRefused()
    {
        await using var host = await DashboardHost.StartAsync();
        using var request = DashboardForms.Request(HttpMethod.Post, "/journeys/journey/checkout-recovery/pause");
        request.Content = new FormUrlEncodedContent(Admit);

        using var response = await host.CreateClient().SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("antiforgery");
        (await host.Engine.GetPausesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task AnAction_WithTheTokenOfThePage_IsCarriedOut()
    {
        await using var host = await DashboardHost.StartAsync();

        using var response = await DashboardForms.PostFromPageAsync(host.CreateClient(), "/journeys/journey/checkout-recovery", "/journeys/journey/checkout-recovery/pause", Admit);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await host.Engine.GetPausesAsync()).Should().ContainSingle(p => p.JourneyName == "checkout-recovery" && p.AdmitsNewInstances);
    }

    [Fact]
    public async Task WithAViewingPolicy_AnonymousIsRefused_AndAViewerServedFromAfar()
    {
        await using var host = await DashboardHost.StartAsync(d => d.ActionPolicy = "operators", viewPolicy: "viewers");
        var client = host.CreateClient();

        var anonymous = await DashboardForms.GetAsync(client, "/journeys/", remote: true);
        var viewer = await DashboardForms.GetAsync(client, "/journeys/journey/checkout-recovery", user: "alice", remote: true);

        anonymous.Status.Should().Be(HttpStatusCode.Unauthorized);
        viewer.Status.Should().Be(HttpStatusCode.OK);
        viewer.Body.Should().NotContain("machine only").And.Contain("Read-only for you").And.NotContain("<form method=\"post\"");
    }

    [Fact]
    public async Task AViewer_CannotPostAnAction_AnOperatorCan()
    {
        await using var host = await DashboardHost.StartAsync(d => d.ActionPolicy = "operators", viewPolicy: "viewers");
        var client = host.CreateClient();
        using var viewerPost = DashboardForms.Request(HttpMethod.Post, "/journeys/journey/checkout-recovery/pause", user: "alice", remote: true);
        viewerPost.Content = new FormUrlEncodedContent(Admit);

        using var refused = await client.SendAsync(viewerPost);
        var pausesAfterViewer = await host.Engine.GetPausesAsync();
        using var done = await DashboardForms.PostFromPageAsync(client, "/journeys/journey/checkout-recovery", "/journeys/journey/checkout-recovery/pause", Admit, user: "bob:operator", remote: true);

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        pausesAfterViewer.Should().BeEmpty();
        done.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await host.Engine.GetPausesAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task WithAViewingPolicyButNoActionPolicy_TheDashboardIsReadOnly()
    {
        await using var host = await DashboardHost.StartAsync(viewPolicy: "viewers");

        var page = await DashboardForms.GetAsync(host.CreateClient(), "/journeys/journey/checkout-recovery", user: "bob:operator", remote: true);

        page.Body.Should().Contain("actions need JourneyDashboardOptions.ActionPolicy").And.NotContain("<form method=\"post\"");
    }

    [Fact]
    public async Task ReadOnly_RefusesEveryActionEvenLocally()
    {
        await using var host = await DashboardHost.StartAsync(d => d.ReadOnly = true);
        var client = host.CreateClient();
        using var request = DashboardForms.Request(HttpMethod.Post, "/journeys/journey/checkout-recovery/pause");
        request.Content = new FormUrlEncodedContent(Admit);

        var page = await DashboardForms.GetAsync(client, "/journeys/journey/checkout-recovery");
        using var response = await client.SendAsync(request);

        page.Body.Should().Contain("This dashboard is read-only.").And.NotContain("<form method=\"post\"");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await host.Engine.GetPausesAsync()).Should().BeEmpty();
    }
}
