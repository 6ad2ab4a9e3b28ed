using System.Net;
using System.Text;
using System.Text.Json;

namespace WorldModel.Demo.Tests;

[Collection("demo")]
public sealed class DemoApiTests(DemoFixture fixture)
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "/api/goal", """{"x": 100, "y": 3}""", "outside the free arena" },
        { "/api/goal", """{"x": 32, "y": 40}""", "off the wall" },
        { "/api/goal", """{"x": "left", "y": 3}""", "\"x\": number" },
        { "/api/goal", "not json", "not valid JSON" },
        { "/api/agent", "[1, 2]", "must be a JSON object" },
        { "/api/settings", """{"samples": 1000000}""", "allowed: 4 to 2048" },
        { "/api/settings", """{"samples": "many"}""", "samples must be an integer" },
        { "/api/settings", """{"horizon": 0}""", "allowed: 1 to 96" },
        { "/api/settings", """{"planner": "gradient"}""", "allowed: mppi, cem" },
        { "/api/settings", """{"model": "dreamer"}""", "allowed: jepa, pixel" },
        { "/api/settings", """{"colour": "red"}""", "unknown setting 'colour'" },
        { "/api/settings", """{"twoLevel": "yes"}""", "twoLevel must be true or false" },
        { "/api/settings", """{"mode": "wander"}""", "allowed: goal, explore" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInputGets400WithAMessageAndTheServerKeepsServing(string path, string body, string expected)
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models);
        var before = host.Session.Latest;
        var response = await host.Client.PostAsync(path, Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement
            .GetProperty("error").GetString()!;
        Assert.Contains(expected, error);
        // Nothing changed, and the server still answers.
        var state = await host.Client.GetAsync("/api/state");
        Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        Assert.Equal(before.Goal, host.Session.Latest.Goal);
        Assert.Equal(before.Settings, host.Session.Latest.Settings);
    }

    [Fact]
    public async Task GoodRequestsChangeWhatThePageSees()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/settings",
            Json("""{"planner": "cem", "samples": 128, "model": "oracle"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await host.Client.PostAsync("/api/goal", Json("""{"x": 50.5, "y": 40}"""))).StatusCode);
        var state = await WaitFor(host, s => s.GetProperty("goal")[0].GetSingle() == 50.5f
            && s.GetProperty("settings").GetProperty("planner").GetString() == "cem");
        Assert.Equal(128, state.GetProperty("settings").GetProperty("samples").GetInt32());
        Assert.Equal("oracle", state.GetProperty("settings").GetProperty("model").GetString());
        Assert.StartsWith("data:image/png;base64,", state.GetProperty("frame").GetString());

        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/run", Json("{}"))).StatusCode);
        state = await WaitFor(host, s => s.GetProperty("step").GetInt32() >= 3);
        Assert.True(state.GetProperty("candidates").GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/pause", Json("{}"))).StatusCode);
        await WaitFor(host, s => s.GetProperty("status").GetString() == "paused");

        var page = await host.Client.GetStringAsync("/");
        Assert.Contains("<canvas id=\"world\"", page);
    }

    [Fact]
    public async Task Given_the_oracle_When_two_levels_are_switched_on_Then_steps_carry_subgoals()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/settings",
            Json("""{"model": "oracle", "twoLevel": true, "horizon": 48}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await host.Client.PostAsync("/api/goal", Json("""{"x": 50, "y": 40}"""))).StatusCode);
        await WaitFor(host, s => s.GetProperty("settings").GetProperty("twoLevel").GetBoolean()
            && s.GetProperty("goal")[0].GetSingle() == 50);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/step", Json("{}"))).StatusCode);
        var state = await WaitFor(host, s => s.GetProperty("step").GetInt32() >= 1);
        Assert.Equal(2 * 48 / DemoModels.DefaultOracleSkip, state.GetProperty("subgoals").GetArrayLength());
        Assert.Equal(JsonValueKind.False, state.GetProperty("aimAtGoal").ValueKind);

        // Back to flat: no subgoals after the next step.
        Assert.Equal(HttpStatusCode.OK,
            (await host.Client.PostAsync("/api/settings", Json("""{"twoLevel": false}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/step", Json("{}"))).StatusCode);
        state = await WaitFor(host, s => s.GetProperty("step").GetInt32() >= 2);
        Assert.Equal(0, state.GetProperty("subgoals").GetArrayLength());

        Assert.Contains("id=\"twoLevel\"", await host.Client.GetStringAsync("/"));
        Assert.Contains("function drawSubgoals", await host.Client.GetStringAsync("/demo.js"));
    }

    [Fact]
    public async Task AStalledClientDoesNotStallTheSimulation()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models, model: "oracle");
        // A client that promises a body and never sends it.
        using var slow = new System.Net.Sockets.TcpClient();
        var uri = new Uri(host.Address);
        await slow.ConnectAsync(uri.Host, uri.Port);
        await slow.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"POST /api/goal HTTP/1.1\r\nHost: {uri.Host}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"x\": 2"));
        Assert.Equal(HttpStatusCode.OK,
            (await host.Client.PostAsync("/api/goal", Json("""{"x": 50, "y": 40}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/run", Json("{}"))).StatusCode);
        var state = await WaitFor(host, s => s.GetProperty("step").GetInt32() >= 10);
        Assert.True(state.GetProperty("running").GetBoolean() || state.GetProperty("status").GetString() == "reached");
    }

    [Fact]
    public async Task RequestsFromAnotherPageAreRefusedAndChangeNothing()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models, model: "oracle");
        var before = host.Session.Latest;
        // A form-style post from another page: no JSON content type.
        var plain = await host.Client.PostAsync("/api/goal",
            new StringContent("""{"x": 50, "y": 40}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        // A fetch from another origin.
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/goal")
        {
            Content = Json("""{"x": 50, "y": 40}"""),
        };
        foreign.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(foreign)).StatusCode);
        // DNS rebinding: another site's name resolving to this address.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        rebound.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.SendAsync(rebound)).StatusCode);
        Assert.Equal(before.Version, host.Session.Latest.Version);

        // The page's own requests pass.
        using var own = new HttpRequestMessage(HttpMethod.Post, "/api/goal")
        {
            Content = Json("""{"x": 50.5, "y": 40}"""),
        };
        own.Headers.Add("Origin", host.Address);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(own)).StatusCode);
        await WaitFor(host, s => s.GetProperty("goal")[0].GetSingle() == 50.5f);
    }

    [Fact]
    public async Task AfterANewLayoutTheTrainingLayoutComesBack()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models, model: "oracle");
        var training = host.Session.Latest.Layout;
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/layout", Json("{}"))).StatusCode);
        await WaitFor(host, s => !Layout(s).SequenceEqual(training));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/layout/first", Json("{}"))).StatusCode);
        await WaitFor(host, s => Layout(s).SequenceEqual(training));
    }

    private static float[] Layout(JsonElement state) =>
        state.GetProperty("layout").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static async Task<JsonElement> WaitFor(DemoServerHost host, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var state = JsonDocument.Parse(await host.Client.GetStringAsync("/api/state")).RootElement;
            if (condition(state)) return state;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the state never matched; last: "
                + state.GetProperty("status").GetString() + ", " + state.GetProperty("message").GetString());
            await Task.Delay(50);
        }
    }
}
