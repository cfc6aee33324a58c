using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeliberationFlow.Tests.OParl;

/// <summary>
/// Another council's OParl server as the import meets it: Kestrel on a free loopback port, serving the JSON and the
/// redirects a test gives it, and counting the requests that reach it.
/// </summary>
public sealed class RemoteOParlServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();

    private RemoteOParlServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port, without a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The paths (with query) requested so far, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<RemoteOParlServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var server = new RemoteOParlServer(builder.Build());
        server._app.Run(server.AnswerAsync);
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    public string Url(string path) => BaseUrl + path;

    public void Serve(string path, JsonObject json) => _objects[path] = json;

    public void Redirect(string path, string location) => _redirects[path] = location;

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path + context.Request.QueryString;
        _requests.Enqueue(path);
        if (_redirects.TryGetValue(path, out var location))
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = location;
            return;
        }

        if (!_objects.TryGetValue(path, out var json))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
