using Microsoft.AspNetCore.Builder;
using WorldModel.Demo;

namespace WorldModel.Demo.Tests;

/// <summary>A session and its web server on a free local port, for one test.</summary>
public sealed class DemoServerHost : IAsyncDisposable
{
    private DemoServerHost(DemoSession session, WebApplication app)
    {
        Session = session;
        App = app;
        Address = DemoServer.Address(app);
        Client = new HttpClient { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public DemoSession Session { get; }
    public WebApplication App { get; }
    public string Address { get; }
    public HttpClient Client { get; }

    public static async Task<DemoServerHost> StartAsync(DemoModels models, string model = DemoModels.Jepa)
    {
        var session = new DemoSession(models, new DemoSettings { Model = model });
        var app = DemoServer.Build(session, "127.0.0.1", 0);
        await app.StartAsync();
        return new DemoServerHost(session, app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Session.Dispose();
    }
}
