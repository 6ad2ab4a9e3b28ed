namespace WorldModel.Render.Gl;

/// <summary>
/// One full-frame quad per world, one texture-array layer per world. The fragment shader repeats
/// <see cref="Shading"/> operation for operation; "precise" stops the compiler from fusing
/// multiply-adds, so results match the CPU rasteriser bit for bit on IEEE hardware.
/// </summary>
internal static class Shaders
{
    // Layer chosen in the vertex shader (ARB_shader_viewport_layer_array): no geometry stage needed.
    public const string VertexWithLayer = """
        #version 430 core
        #extension GL_ARB_shader_viewport_layer_array : require
        flat out int vWorld;
        void main() {
            vec2 p = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1)) * 2.0 - 1.0;
            gl_Position = vec4(p, 0.0, 1.0);
            gl_Layer = gl_InstanceID;
            vWorld = gl_InstanceID;
        }
        """;

    // Fallback for drivers without the extension: a geometry shader sets the layer.
    public const string VertexPlain = """
        #version 430 core
        flat out int vInstance;
        void main() {
            vec2 p = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1)) * 2.0 - 1.0;
            gl_Position = vec4(p, 0.0, 1.0);
            vInstance = gl_InstanceID;
        }
        """;

    public const string Geometry = """
        #version 430 core
        layout(triangles) in;
        layout(triangle_strip, max_vertices = 3) out;
        flat in int vInstance[];
        flat out int vWorld;
        void main() {
            for (int i = 0; i < 3; i++) {
                gl_Position = gl_in[i].gl_Position;
                gl_Layer = vInstance[0];
                vWorld = vInstance[0];
                EmitVertex();
            }
            EndPrimitive();
        }
        """;

    public const string Fragment = """
        #version 430 core
        flat in int vWorld;
        layout(std430, binding = 0) readonly buffer Shapes { vec4 shapes[]; };
        uniform int uRgb;           // 1 = RGB, 0 = one channel per kind
        uniform ivec3 uChannel;     // channel of agent, walls, ball (-1: not in this world)
        uniform vec3 uBackground;
        uniform vec3 uWall;
        uniform vec3 uBall;
        uniform vec3 uAgent;
        layout(location = 0) out uvec4 outValue;
        const int MaxRects = 8;
        const int MaxDisks = 2;
        const int Slots = 10;

        void main() {
            precise float px = floor(gl_FragCoord.x);
            precise float py = floor(gl_FragCoord.y);
            int base = vWorld * Slots;

            precise float walls = 0.0;
            for (int r = 0; r < MaxRects; r++) {
                vec4 s = shapes[base + r];
                if (s.y <= s.x || s.w <= s.z) continue;
                precise float ox = clamp(min(px + 1.0, s.y) - max(px, s.x), 0.0, 1.0);
                precise float oy = clamp(min(py + 1.0, s.w) - max(py, s.z), 0.0, 1.0);
                walls += ox * oy;
            }

            precise float ball = 0.0;
            precise float agent = 0.0;
            for (int d = 0; d < MaxDisks; d++) {
                vec4 s = shapes[base + MaxRects + d];
                if (s.z <= 0.0) continue;
                precise float dx = px + 0.5 - s.x;
                precise float dy = py + 0.5 - s.y;
                precise float dist = sqrt(dx * dx + dy * dy);
                precise float cov = clamp(s.z + 0.5 - dist, 0.0, 1.0);
                if (int(s.w) == 2) ball += cov; else agent += cov;
            }

            walls = min(walls, 1.0);
            ball = min(ball, 1.0);
            agent = min(agent, 1.0);
            uvec4 o = uvec4(0u);
            if (uRgb == 1) {
                for (int c = 0; c < 3; c++) {
                    precise float v = uBackground[c];
                    v = v + (uWall[c] - v) * walls;
                    v = v + (uBall[c] - v) * ball;
                    v = v + (uAgent[c] - v) * agent;
                    precise float q = v + 0.5;
                    o[c] = uint(q);
                }
            } else {
                precise float qa = agent * 255.0 + 0.5;
                precise float qw = walls * 255.0 + 0.5;
                precise float qb = ball * 255.0 + 0.5;
                if (uChannel.x >= 0) o[uChannel.x] = uint(qa);
                if (uChannel.y >= 0) o[uChannel.y] = uint(qw);
                if (uChannel.z >= 0) o[uChannel.z] = uint(qb);
            }
            outValue = o;
        }
        """;
}
