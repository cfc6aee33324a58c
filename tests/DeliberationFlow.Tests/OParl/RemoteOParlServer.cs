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
/// Another council's OParl server as the import meets it: Kestrel on a free loopback port, serving the JSON, the
/// redirects and the broken answers (an error status, an HTML page, one that never ends) a test gives it, and counting
/// the requests that reach it. A path it was given nothing for answers 404.
/// </summary>
public sealed class RemoteOParlServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RequestDelegate> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrived = new(StringComparer.Ordinal);
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

    public void Serve(string path, JsonObject json)
    {
        _answers.TryRemove(path, out _);
        _objects[path] = json;
    }

    public void Redirect(string path, string location) => _redirects[path] = location;

    /// <summary>Answers <paramref name="path"/> as <paramref name="answer"/> says (instead of what was served there before).</summary>
    public void Answer(string path, RequestDelegate answer)
    {
        _objects.TryRemove(path, out _);
        _answers[path] = answer;
    }

    /// <summary>Answers <paramref name="path"/> with an error status and, as OParl 2.9 has it, an error object saying <paramref name="message"/>.</summary>
    public void Fail(string path, int status, string? message = null) => Answer(path, async context =>
    {
        context.Response.StatusCode = status;
        if (message is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(new JsonObject { ["type"] = "https://schema.oparl.org/1.1/Error", ["message"] = message }.ToJsonString());
        }
    });

    /// <summary>Answers <paramref name="path"/> with 200 and a text of another kind than JSON, as a RIS's error or maintenance page comes.</summary>
    public void ServeText(string path, string contentType, string text) => Answer(path, async context =>
    {
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(text);
    });

    /// <summary>Answers <paramref name="path"/> with the headers, and then nothing, until the client gives up.</summary>
    public void Hang(string path) => Answer(path, async context =>
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: the answer ends unfinished.
        }
    });

    /// <summary>Completes once <paramref name="path"/> was requested.</summary>
    public Task RequestedAsync(string path) => Arrival(path).Task;

    private TaskCompletionSource Arrival(string path) => _arrived.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path + context.Request.QueryString;
        _requests.Enqueue(path);
        Arrival(path).TrySetResult();
        if (_answers.TryGetValue(path, out var answer))
        {
            await answer(context);
            return;
        }

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

/// <summary>The objects of a remote OParl graph as tests build it: a body with its lists, organizations, persons, meetings and papers.</summary>
public static class RemoteOParlObjects
{
    public const string Stamp = "2021-11-01T09:00:00+01:00";

    public static JsonObject Body(RemoteOParlServer remote, string organization, string? person = null, string? meeting = null, string? paper = null, string id = "1")
    {
        var body = Object(remote.Url($"/oparl/body/{id}"), "Body");
        body["name"] = $"Stadt Irgendwo {id}";
        body["organization"] = organization;
        foreach (var (list, url) in new[] { ("person", person), ("meeting", meeting), ("paper", paper) })
        {
            if (url is not null)
            {
                body[list] = url;
            }
        }

        return body;
    }

    public static JsonObject Organization(RemoteOParlServer remote, string id, string name)
    {
        var organization = Object(remote.Url($"/oparl/organization/{id}"), "Organization");
        organization["name"] = name;
        organization["organizationType"] = "Gremium";
        return organization;
    }

    public static JsonObject Person(RemoteOParlServer remote, string id, string name, string organizationId)
    {
        var person = Object(remote.Url($"/oparl/person/{id}"), "Person");
        person["name"] = name;
        var membership = Object(remote.Url($"/oparl/membership/{id}-{organizationId}"), "Membership");
        membership["organization"] = remote.Url($"/oparl/organization/{organizationId}");
        membership["role"] = "Mitglied";
        person["membership"] = new JsonArray(membership);
        return person;
    }

    public static JsonObject Meeting(RemoteOParlServer remote, string id, string name, string organizationId, string start)
    {
        var meeting = Object(remote.Url($"/oparl/meeting/{id}"), "Meeting");
        meeting["name"] = name;
        meeting["start"] = start;
        meeting["organization"] = new JsonArray(remote.Url($"/oparl/organization/{organizationId}"));
        return meeting;
    }

    /// <summary>A paper with one consultation, in the organization named.</summary>
    public static JsonObject Paper(RemoteOParlServer remote, string id, string reference, string organizationId)
    {
        var paper = Object(remote.Url($"/oparl/paper/{id}"), "Paper");
        paper["name"] = $"Vorlage {reference}";
        paper["reference"] = reference;
        paper["paperType"] = "Beschlussvorlage";
        paper["date"] = "2021-10-20";
        var consultation = Object(remote.Url($"/oparl/consultation/{id}-1"), "Consultation");
        consultation["organization"] = new JsonArray(remote.Url($"/oparl/organization/{organizationId}"));
        consultation["role"] = "Entscheidung";
        consultation["authoritative"] = true;
        paper["consultation"] = new JsonArray(consultation);
        return paper;
    }

    /// <summary>A list page holding <paramref name="objects"/>, with a link to the next page when there is one.</summary>
    public static JsonObject ListPage(string? next, params JsonObject[] objects) =>
        new() { ["data"] = new JsonArray([.. objects]), ["links"] = next is null ? new JsonObject() : new JsonObject { ["next"] = next } };

    public static JsonObject ListPage(params JsonObject[] objects) => ListPage(null, objects);

    private static JsonObject Object(string id, string type) => new()
    {
        ["id"] = id, ["type"] = $"https://schema.oparl.org/1.1/{type}", ["created"] = Stamp, ["modified"] = Stamp,
    };
}
