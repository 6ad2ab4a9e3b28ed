using System.Net;
using System.Text;
using System.Text.Json;
using WorldModel.Demo;
using WorldModel.Render;
using WorldModel.Render.Cpu;

namespace WorldModel.Demo.Tests;

[Collection("demo")]
public sealed class DemoExploreTests(DemoFixture fixture)
{
    [Fact]
    public void Given_visits_in_the_left_room_When_the_shipped_jepa_scores_the_arena_Then_the_right_room_is_more_novel()
    {
        var models = fixture.Models;
        var scenes = new SceneBuilder(models.World, models.Render);
        using var renderer = new CpuRasterizer(scenes.Format);
        using var episode = new DemoEpisode(models, scenes, renderer, seed: 0);
        foreach (var (x, y) in new[] { (10f, 10f), (20f, 20f), (10f, 30f), (24f, 44f), (12f, 54f) })
        {
            episode.MoveAgent(x, y);
            episode.Explorer.Update(episode);
        }
        var view = episode.Explorer.View;
        Assert.Equal(5, view.Visited);
        float lo = models.Shown.Arena.Low;
        int Cell(float v) => (int)((v - lo) / view.CellSize);
        float At(float x, float y) => view.Novelty[Cell(y) * view.Cells + Cell(x)];
        var cells = Enumerable.Range(0, view.Novelty.Length).Where(i => view.Novelty[i] >= 0).ToList();
        float CentreX(int i) => lo + (i % view.Cells + 0.5f) * view.CellSize;
        float left = cells.Where(i => CentreX(i) < 30).Average(i => view.Novelty[i]);
        float right = cells.Where(i => CentreX(i) > 34).Average(i => view.Novelty[i]);
        Assert.True(right > left + 0.2f, $"mean novelty: left room {left:F2}, right room {right:F2}");
        // Where the agent stood is familiar; its mirror image in the other room is not.
        Assert.True(At(20, 20) < 0.25f * At(44, 20), $"novelty at (20, 20) {At(20, 20):F2}, (44, 20) {At(44, 20):F2}");
    }

    [Fact]
    public void Given_explore_mode_When_the_shipped_jepa_runs_Then_it_closes_in_on_the_novel_target_it_chose()
    {
        using var session = new DemoSession(fixture.Models,
            new DemoSettings { Model = DemoModels.Jepa, Mode = DemoSettings.Explore });
        var seen = new List<DemoSnapshot>();
        session.RunBlocking(seen.Add, maxSteps: 25);
        var start = seen[0].Agent;
        var target = seen[1].Explore!.Target;
        Assert.Equal(2, target.Length);
        Assert.Contains("novelty", seen[1].Explore!.Why);
        float Distance(float[] p) => MathF.Sqrt(MathF.Pow(p[0] - target[0], 2) + MathF.Pow(p[1] - target[1], 2));
        float closest = seen.Skip(1).Min(s => Distance(s.Agent));
        Assert.True(closest < Distance(start) - 3,
            $"target ({target[0]}, {target[1]}): {Distance(start):F1} px away at the start, closest {closest:F1}");
        // It keeps going: the run is not stopped by reaching a target, and the agent leaves where it began.
        Assert.Equal(25, session.Latest.Step);
        Assert.True(seen.Select(s => ((int)(s.Agent[0] / 4), (int)(s.Agent[1] / 4))).Distinct().Count() >= 4,
            "the agent visited fewer than 4 cells of 4 px");
    }

    [Fact]
    public void Given_an_explore_run_When_the_agent_is_dragged_and_a_goal_clicked_Then_it_keeps_its_memory_and_its_own_target()
    {
        using var session = new DemoSession(fixture.Models,
            new DemoSettings { Model = DemoModels.Jepa, Mode = DemoSettings.Explore });
        session.RunBlocking(null, maxSteps: 5);
        int visited = session.Latest.Explore!.Visited;
        session.MoveAgent(50, 40); // into the other room
        session.SetGoal(20, 36);   // a click: explore mode keeps choosing its own goals
        session.RunBlocking(null, maxSteps: 1);
        var last = session.Latest;
        Assert.Equal(visited + 2, last.Explore!.Visited); // where it was dropped, and one step on
        var target = last.Explore.Target;
        Assert.Equal(target, last.Goal);
        Assert.True(target[0] > 34, $"target ({target[0]}, {target[1]}) is not in the room the agent was dragged to");
    }

    [Fact]
    public async Task Given_the_page_When_explore_mode_is_switched_on_Then_the_state_carries_the_heatmap_and_target()
    {
        await using var host = await DemoServerHost.StartAsync(fixture.Models);
        var page = await host.Client.GetStringAsync("/");
        Assert.Contains("<select id=\"mode\">", page);
        Assert.Contains("value=\"explore\"", page);
        Assert.Contains("function drawHeatmap", await host.Client.GetStringAsync("/demo.js"));
        var initial = JsonDocument.Parse(await host.Client.GetStringAsync("/api/state")).RootElement;
        Assert.Equal(JsonValueKind.Null, initial.GetProperty("explore").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/settings", Json("""{"mode": "explore"}""")))
            .StatusCode);
        // The heatmap and a target come at once, before any step.
        var state = await WaitFor(host, s => s.GetProperty("explore").ValueKind == JsonValueKind.Object);
        var explore = state.GetProperty("explore");
        int cells = explore.GetProperty("cells").GetInt32();
        var novelty = explore.GetProperty("novelty").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(cells * cells, novelty.Length);
        // Near where the agent stands (between cell centres) familiar, elsewhere new.
        float nearest = novelty.Where(v => v >= 0).Min(), most = novelty.Max();
        Assert.True(nearest < 0.3f * most, $"novelty from {nearest:F2} to {most:F2}");
        Assert.Contains(novelty, v => v < 0); // the wall
        var target = explore.GetProperty("target");
        Assert.Equal(2, target.GetArrayLength());
        Assert.Equal(target[0].GetSingle(), state.GetProperty("goal")[0].GetSingle()); // the planner aims there
        Assert.StartsWith("heading to", explore.GetProperty("why").GetString());

        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/step", Json("{}"))).StatusCode);
        await WaitFor(host, s => s.GetProperty("step").GetInt32() >= 1
            && s.GetProperty("explore").GetProperty("visited").GetInt32() >= 2);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/settings", Json("""{"mode": "goal"}""")))
            .StatusCode);
        await WaitFor(host, s => s.GetProperty("explore").ValueKind == JsonValueKind.Null);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> WaitFor(DemoServerHost host, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var state = JsonDocument.Parse(await host.Client.GetStringAsync("/api/state")).RootElement;
            if (condition(state)) return state;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the state never matched; last: "
                + state.GetProperty("message").GetString());
            await Task.Delay(50);
        }
    }
}
