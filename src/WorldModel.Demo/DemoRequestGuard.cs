using System.Net;
using Microsoft.AspNetCore.Http;

namespace WorldModel.Demo;

/// <summary>
/// Keeps other web pages out of the demo. A page from another site open in the same browser could send
/// requests to 127.0.0.1; a POST must therefore say it is JSON (a cross-site page cannot send that without
/// a CORS preflight, which the demo never answers), carry an Origin (when it has one) of the demo's own
/// address, and name in its Host a loopback address, an IP address or this machine (a DNS name that
/// resolves to 127.0.0.1 is how DNS rebinding gets around the browser's same-origin rule).
/// </summary>
public static class DemoRequestGuard
{
    /// <summary>Why the request is refused (status and message), or null when it may go on.</summary>
    public static (int Status, string Message)? Problem(HttpRequest request)
    {
        string host = request.Host.Host;
        if (!AllowedHost(host))
            return (403, $"Host '{request.Host}' is not this machine; open the demo at the address `wm demo` printed");
        if (!HttpMethods.IsPost(request.Method)) return null;
        if (request.ContentType is not { } type
            || !type.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
            return (415, $"a POST must have Content-Type application/json (got '{request.ContentType ?? "none"}')");
        if (request.Headers.Origin is { Count: > 0 } origin
            && !(Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var uri)
                && uri.Authority.Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase)))
            return (403, $"requests from another page (Origin {origin}) are refused");
        return null;
    }

    /// <summary>Loopback names, IP literals (no DNS involved) and this machine's own name.</summary>
    public static bool AllowedHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out _)
        || host.Equals(Dns.GetHostName(), StringComparison.OrdinalIgnoreCase);
}
