namespace WorldModel.Render.Gl;

/// <summary>
/// One full-frame quad per world, one texture-array layer per world. The fragment shader repeats
/// <see cref="Shading"/> operation for operation; "precise" stops the compiler from fusing
/// multiply-adds, so results match the CPU rasteriser bit for bit on IEEE hardware.
/// </summary>
internal static class Shaders
{
    // Layer chosen in the vertex shader (ARB_shader_viewport_layer_array): no geometry stage needed.
    // Each world's shape slots arrive as per-instance attributes and reach the fragment shader as flat
    // varyings: on llvmpipe this is ~100× faster than per-fragment storage-buffer loads. One attribute per
    // slot: 14 slots (SceneBatch.SlotsPerWorld) use 14 of the 16 attributes GL guarantees (NVIDIA's
    // GL_MAX_VERTEX_ATTRIBS is 16), and 56 flat varying floats, within the 64 vertex output components GL
    // guarantees (gl_Position's 4 included).
    public static readonly string Vertex = BuildVertex();

    private static string BuildVertex()
    {
        var slots = Enumerable.Range(0, SceneBatch.SlotsPerWorld).ToArray();
        var attributes = string.Concat(slots.Select(k => $"layout(location = {k}) in vec4 aShape{k};\n"));
        var copies = string.Concat(slots.Select(k => $"    vShapes[{k}] = aShape{k};\n"));
        return $$"""
            #version 430 core
            #extension GL_ARB_shader_viewport_layer_array : require
            {{attributes}}flat out vec4 vShapes[{{SceneBatch.SlotsPerWorld}}];
            void main() {
                vec2 p = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1)) * 2.0 - 1.0;
                gl_Position = vec4(p, 0.0, 1.0);
                gl_Layer = gl_InstanceID;
            {{copies}}}
            """;
    }

    public static readonly string Fragment = BuildFragment();

    /// <summary>
    /// The fragment shader, generated unrolled (constant slot indices: llvmpipe keeps everything in
    /// registers). Each slot is skipped outside its bounding box, where its coverage is exactly 0, so sums match the
    /// CPU rasteriser (which only visits bounding boxes) bit for bit; llvmpipe skips whole 4×4 blocks.
    /// </summary>
    private static string BuildFragment()
    {
        var rects = string.Concat(Enumerable.Range(0, SceneBatch.MaxRects).Select(r => $$"""
                    if (px + 1.0 > vShapes[{{r}}].x && px < vShapes[{{r}}].y
                        && py + 1.0 > vShapes[{{r}}].z && py < vShapes[{{r}}].w) {
                        ox = clamp(min(px + 1.0, vShapes[{{r}}].y) - max(px, vShapes[{{r}}].x), 0.0, 1.0);
                        oy = clamp(min(py + 1.0, vShapes[{{r}}].w) - max(py, vShapes[{{r}}].z), 0.0, 1.0);
                        walls += ox * oy;
                    }

            """));
        var disks = string.Concat(Enumerable.Range(SceneBatch.MaxRects, SceneBatch.MaxDisks).Select(d => $$"""
                    dx = px + 0.5 - vShapes[{{d}}].x;
                    dy = py + 0.5 - vShapes[{{d}}].y;
                    if (abs(dx) < vShapes[{{d}}].z + 0.5 && abs(dy) < vShapes[{{d}}].z + 0.5) {
                        dist = sqrt(dx * dx + dy * dy);
                        cov = clamp(vShapes[{{d}}].z + 0.5 - dist, 0.0, 1.0);
                        if (vShapes[{{d}}].w == 2.0) ball += cov; else agent += cov;
                    }

            """));
        return $$"""
            #version 430 core
            flat in vec4 vShapes[{{SceneBatch.SlotsPerWorld}}];
            uniform int uRgb;           // 1 = RGB, 0 = one channel per kind
            uniform ivec3 uSource;      // kind shown in channel 0, 1, 2: 0 agent, 1 walls, 2 ball, -1 none
            uniform vec3 uBackground;
            uniform vec3 uWall;
            uniform vec3 uBall;
            uniform vec3 uAgent;
            layout(location = 0) out uvec4 outValue;

            uint Pick(uvec3 k, int source) {
                return source == 0 ? k.x : source == 1 ? k.y : source == 2 ? k.z : 0u;
            }

            void main() {
                precise float px = floor(gl_FragCoord.x);
                precise float py = floor(gl_FragCoord.y);
                precise float ox, oy, dx, dy, dist, cov;
                precise float walls = 0.0;
                precise float ball = 0.0;
                precise float agent = 0.0;
            {{rects}}{{disks}}
                walls = min(walls, 1.0);
                ball = min(ball, 1.0);
                agent = min(agent, 1.0);
                if (uRgb == 1) {
                    precise vec3 v = uBackground;
                    v = v + (uWall - v) * walls;
                    v = v + (uBall - v) * ball;
                    v = v + (uAgent - v) * agent;
                    precise vec3 q = v + 0.5;
                    outValue = uvec4(uvec3(q), 0u);
                } else {
                    precise vec3 q = vec3(agent, walls, ball) * 255.0 + 0.5;
                    uvec3 k = uvec3(q); // agent, walls, ball
                    outValue = uvec4(Pick(k, uSource.x), Pick(k, uSource.y), Pick(k, uSource.z), 0u);
                }
            }
            """;
    }
}
