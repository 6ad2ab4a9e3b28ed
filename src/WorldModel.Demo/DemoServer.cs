using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WorldModel.Demo;

/// <summary>
/// The demo's web server: the page, the latest snapshot, and commands. Every request is answered
/// from the session's published state or by posting a command, so requests never wait on planning.
/// Bad input gets 400 with a message saying what is wrong and what is allowed.
/// </summary>
public static class DemoServer
{
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Builds (not starts) the server for <paramref name="session"/> on host:port (port 0: any free port).
    /// </summary>
    public static WebApplication Build(DemoSession session, string host, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            if (HostProblem(host) is { } problem) throw new ArgumentException(problem);
            if (host is "localhost") k.ListenLocalhost(port);
            else k.Listen(IPAddress.Parse(host), port);
        });
        var app = builder.Build();
        string page = ReadResource("index.html"), script = ReadResource("demo.js");
        // Anything else unexpected is a 500 with a message; the server keeps serving.
        app.Use(async (http, next) =>
        {
            try { await next(http); }
            catch (BadHttpRequestException e) { await WriteError(http, e.StatusCode, e.Message); }
            catch (Exception e) when (!http.Response.HasStarted) { await WriteError(http, 500, e.Message); }
        });

        app.Use(async (http, next) =>
        {
            if (DemoRequestGuard.Problem(http.Request) is { } refused)
                await WriteError(http, refused.Status, refused.Message);
            else await next(http);
        });

        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/demo.js", () => Results.Content(script, "text/javascript; charset=utf-8"));
        app.MapGet("/api/state", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(session.Latest, Json);
        });
        app.MapPost("/api/goal", (Delegate)((HttpContext http) => WithPosition(http, session, session.SetGoal)));
        app.MapPost("/api/agent", (Delegate)((HttpContext http) => WithPosition(http, session, session.MoveAgent)));
        app.MapPost("/api/layout", () => Accepted(session.NewLayout));
        app.MapPost("/api/layout/first", () => Accepted(session.FirstLayout));
        app.MapPost("/api/run", () => Accepted(session.Run));
        app.MapPost("/api/pause", () => Accepted(session.Pause));
        app.MapPost("/api/step", () => Accepted(session.StepOnce));
        app.MapPost("/api/reset", () => Accepted(session.Reset));
        app.MapPost("/api/settings", async (HttpContext http) =>
        {
            var (body, error) = await ReadObject(http);
            if (error is not null) return error;
            var current = session.Latest.Settings;
            var next = current;
            foreach (var p in body!.Value.EnumerateObject())
            {
                string? problem = null;
                switch (p.Name.ToLowerInvariant())
                {
                    case "model":
                        if (p.Value.ValueKind == JsonValueKind.String)
                            next = next with { Model = p.Value.GetString()! };
                        else problem = "model must be a string";
                        break;
                    case "planner":
                        if (p.Value.ValueKind == JsonValueKind.String)
                            next = next with { Planner = p.Value.GetString()!.ToLowerInvariant() };
                        else problem = "planner must be a string";
                        break;
                    case "horizon":
                        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int h))
                            next = next with { PlannerHorizon = h };
                        else problem = "horizon must be an integer";
                        break;
                    case "samples":
                        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int n))
                            next = next with { Samples = n };
                        else problem = "samples must be an integer";
                        break;
                    case "iterations":
                        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out int it))
                            next = next with { Iterations = it };
                        else problem = "iterations must be an integer";
                        break;
                    case "mode":
                        if (p.Value.ValueKind == JsonValueKind.String)
                            next = next with { Mode = p.Value.GetString()!.ToLowerInvariant() };
                        else problem = "mode must be a string";
                        break;
                    case "twolevel":
                        if (p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                            next = next with { TwoLevel = p.Value.GetBoolean() };
                        else problem = "twoLevel must be true or false";
                        break;
                    default:
                        problem = $"unknown setting '{p.Name}'; " +
                            "allowed: mode, model, twoLevel, planner, horizon, samples, iterations";
                        break;
                }
                if (problem is not null) return BadRequest(problem);
            }
            if (next.Problem(session.Models) is { } invalid) return BadRequest(invalid);
            session.Apply(next);
            return Results.Json(next, Json);
        });
        return app;
    }

    /// <summary>Why the server cannot listen on <paramref name="host"/>, or null (checked before loading).</summary>
    public static string? HostProblem(string host) =>
        host is "localhost" || IPAddress.TryParse(host, out _)
            ? null
            : $"--host '{host}' is not an IP address; " +
                "use 127.0.0.1 (this machine only), 0.0.0.0 (the local network) or a local interface's address";

    /// <summary>The address a started server listens on (with port 0, the port it was given).</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");

    private static IResult Accepted(Action command)
    {
        command();
        return Results.Json(new { ok = true }, Json);
    }

    private static async Task<IResult> WithPosition(HttpContext http, DemoSession session, Action<float, float> apply)
    {
        var (body, error) = await ReadObject(http);
        if (error is not null) return error;
        if (!body!.Value.TryGetProperty("x", out var xe) || !body.Value.TryGetProperty("y", out var ye)
            || xe.ValueKind != JsonValueKind.Number || ye.ValueKind != JsonValueKind.Number
            || !xe.TryGetSingle(out float x) || !ye.TryGetSingle(out float y))
            return BadRequest("expected a JSON object {\"x\": number, \"y\": number} " +
                "in world units (the arena is 64 × 64)");
        if (session.PositionProblem(x, y) is { } problem) return BadRequest(problem);
        apply(x, y);
        return Results.Json(new { ok = true }, Json);
    }

    private static async Task<(JsonElement? Body, IResult? Error)> ReadObject(HttpContext http)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, BadRequest("the body must be a JSON object"));
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException e) { return (null, BadRequest($"the body is not valid JSON ({e.Message})")); }
    }

    private static IResult BadRequest(string message) => Results.Json(new { error = message }, Json, statusCode: 400);

    private static Task WriteError(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error = message }, Json);
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + name)
            ?? throw new InvalidOperationException($"the demo page is missing from this build (wwwroot/{name})");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
