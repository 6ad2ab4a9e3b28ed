using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Worlds.Maze;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Sim.Tests;

public sealed class MazeLayoutTests
{
    private static MazeLayout[] Drawn(int cells, int extraOpenings, int count, ulong seed = 7)
    {
        ulong rng = seed;
        return Enumerable.Range(0, count).Select(_ => MazeLayouts.Draw(cells, extraOpenings, ref rng)).ToArray();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Given_drawn_perfect_mazes_Then_every_cell_is_reachable_and_there_are_cells_squared_minus_one_openings(
        int cells)
    {
        foreach (var layout in Drawn(cells, 0, 2000))
        {
            Assert.True(layout.Connected, $"{layout} is not connected");
            Assert.Equal(cells * cells - 1, layout.Openings);
            Assert.InRange(MazeWalls.RectCount(layout), 0, MazeLayouts.MaxWallRects);
        }
    }

    [Fact]
    public void Given_extra_openings_Then_mazes_stay_connected_with_that_many_more_openings()
    {
        foreach (var layout in Drawn(3, 2, 1000))
        {
            Assert.True(layout.Connected);
            Assert.Equal(3 * 3 - 1 + 2, layout.Openings);
        }
    }

    [Fact]
    public void Given_3_cells_Then_there_are_192_perfect_mazes_and_random_draws_find_them_all()
    {
        Assert.Equal(4, MazeLayouts.Count(2, 0));
        Assert.Equal(192, MazeLayouts.Count(3, 0));
        Assert.Equal(1, MazeLayouts.Count(3, 4)); // every wall open
        Assert.Equal(192, Drawn(3, 0, 20_000).Distinct().Count());
    }

    [Fact]
    public void Given_4_cells_Then_layouts_needing_more_rectangles_than_a_scene_holds_are_drawn_again_the_same_way()
    {
        // Nine separate walls (a perfect 4×4 maze has nine) would need nine rectangles: such draws are rejected.
        var layouts = Drawn(4, 0, 3000, seed: 3);
        Assert.All(layouts, l => Assert.InRange(MazeWalls.RectCount(l), 1, MazeLayouts.MaxWallRects));
        Assert.Equal(layouts, Drawn(4, 0, 3000, seed: 3));
        // Nine walls none of which meets another: nine rectangles.
        uint nine = 0;
        foreach (var (line, i) in new[] { (1, 0), (1, 2), (2, 1), (2, 3), (3, 0), (3, 2) })
            nine |= 1u << MazeLayout.VerticalEdge(4, line, i);
        foreach (var (line, i) in new[] { (1, 1), (2, 3), (3, 1) })
            nine |= 1u << MazeLayout.HorizontalEdge(4, line, i);
        Assert.Equal(9, MazeWalls.RectCount(new MazeLayout(4, nine)));
    }

    [Fact]
    public void Given_the_same_layout_seed_Then_the_training_layouts_are_the_same_distinct_ones()
    {
        var world = new MazeConfig { Layouts = 40, LayoutSeed = 11 };
        var a = MazeLayouts.Training(world);
        Assert.Equal(40, a.Distinct().Count());
        Assert.Equal(a, MazeLayouts.Training(world));
        Assert.NotEqual(a, MazeLayouts.Training(world with { LayoutSeed = 12 }));
        Assert.Empty(MazeLayouts.Training(world with { Layouts = 0 }));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(180)] // 12 of the 192 mazes left for evaluation
    public void Given_training_layouts_Then_no_evaluation_episode_uses_one(int layouts)
    {
        var world = new MazeConfig { Layouts = layouts };
        var training = MazeLayouts.Training(world).ToHashSet();
        var episodes = PlanEpisodes.Generate(new EpisodesConfig { MazePairs = 40, MazeDistances = [1, 3] }, world);
        Assert.Equal(80, episodes.Length);
        Assert.All(episodes, e => Assert.DoesNotContain(MazeLayout.ReadFrom(3, e.Layout), training));
        Assert.True(episodes.Select(e => MazeLayout.ReadFrom(3, e.Layout)).Distinct().Count() > 5);
    }

    [Fact]
    public void Given_a_dataset_batch_Then_its_episodes_draw_from_the_training_layouts_only_and_use_them_all()
    {
        var world = new MazeConfig { Layouts = 5 };
        var batch = new MazeBatch(world, 500);
        batch.Reset(Enumerable.Range(0, 500).Select(i => (ulong)i).ToArray());
        Assert.Equal(MazeLayouts.Training(world).ToHashSet(), batch.Layouts.ToHashSet());
    }

    [Fact]
    public void Given_edge_numbers_Then_the_layout_vector_round_trips_and_names_follow_the_documented_order()
    {
        Assert.Equal(
            ["wall_x1_row0", "wall_x1_row1", "wall_y1_col0", "wall_y1_col1"], MazeLayout.Names(2));
        Assert.Equal(12, MazeBatch.SpecOf(3).LayoutDim);
        // Edge 0 of a 2×2 maze separates cells 0 and 1 (the top row); edge 2 separates cells 0 and 2 (left column).
        Assert.Equal((0, 1), new MazeLayout(2, 0).CellsOf(0));
        Assert.Equal((0, 2), new MazeLayout(2, 0).CellsOf(2));
        foreach (var layout in Drawn(4, 1, 50))
        {
            var values = new float[layout.Edges];
            layout.WriteTo(values);
            Assert.All(values, v => Assert.True(v is 0f or 1f));
            Assert.Equal(layout, MazeLayout.ReadFrom(4, values));
        }
    }

    [Fact]
    public void Given_drawn_walls_Then_no_two_rectangles_overlap_and_they_cover_exactly_the_physics_pieces()
    {
        ulong rng = 5;
        foreach (var layout in Drawn(4, 0, 200).Concat([MazeLayout.AllClosed(4) with { Closed = 0b1111 }]))
        {
            var rects = new float[4 * MazeLayouts.MaxWallRects];
            int n = MazeWalls.Rects(layout, 4, 60, 2, rects);
            var pieces = new float[4 * MazeLayouts.MaxWallRects];
            int m = MazeWalls.Pieces(layout, 4, 60, 2, pieces);
            Assert.InRange(m, 1, n);
            for (int a = 0; a < n; a++)
                for (int b = a + 1; b < n; b++)
                {
                    float ox = MathF.Min(rects[4 * a + 1], rects[4 * b + 1]) - MathF.Max(rects[4 * a], rects[4 * b]);
                    float oy = MathF.Min(rects[4 * a + 3], rects[4 * b + 3])
                        - MathF.Max(rects[4 * a + 2], rects[4 * b + 2]);
                    Assert.False(ox > 0 && oy > 0, $"{layout}: rectangles {a} and {b} overlap");
                }
            for (int k = 0; k < 2000; k++)
            {
                float x = Rng.Uniform(ref rng, 4, 60), y = Rng.Uniform(ref rng, 4, 60);
                Assert.Equal(
                    PointPhysics.Inside(x, y, pieces.AsSpan(0, 4 * m)),
                    PointPhysics.Inside(x, y, rects.AsSpan(0, 4 * n)));
            }
        }
    }

    [Theory]
    [InlineData("""{"layouts": 192}""", "layouts")]
    [InlineData("""{"cells": 2, "layouts": 4}""", "layouts")]
    [InlineData("""{"extraOpenings": 5}""", "extraOpenings")]
    [InlineData("""{"cells": 5}""", "cells")]
    [InlineData("""{"cells": 4, "startMargin": 6}""", "cells")]
    public void Given_an_impossible_maze_config_Then_the_key_is_named_with_what_is_allowed(string json, string key)
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigBinder.Bind<MazeConfig>(System.Text.Json.Nodes.JsonNode.Parse(json), "test"));
        var error = Assert.Single(e.Errors);
        Assert.Equal(key, error.KeyPath);
        Assert.Contains("allowed", error.Message);
    }
}
