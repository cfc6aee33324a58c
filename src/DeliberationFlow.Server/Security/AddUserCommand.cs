using DeliberationFlow.Council.Access;
using DeliberationFlow.Council.Common;
using DeliberationFlow.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DeliberationFlow.Server.Security;

/// <summary>
/// <c>add-user &lt;name&gt; --role Admin|Secretary|Councillor [--body key] [--display-name "…"] [--email …] [--committees fpa,va]
/// [--password-file path]</c>: creates an account with the same checks as an admin's (<see cref="ManageUsers"/>), prints it and
/// ends instead of starting the server. It is how an installation without demo data gets its first admin. The password
/// comes from the file's first line, or from standard input (typed without echo at a terminal); never from the command line,
/// which other users of the machine can read.
/// </summary>
public static class AddUserCommand
{
    public const string Verb = "add-user";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and > 0 && i + 1 < args.Length ? args[i + 1] : null;
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal) || Option("--role") is null)
        {
            await Console.Error.WriteLineAsync($"Usage: {Verb} <user name> --role Admin|Secretary|Councillor [--body <key>] [--display-name <name>] [--email <address>] [--committees <key,key>] [--password-file <path>]");
            return 2;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberationDbContext>();
        var bodies = await db.Bodies.AsNoTracking().OrderBy(b => b.Key).ToListAsync();
        var key = Option("--body");
        var body = key is null ? (bodies.Count == 1 ? bodies[0] : null) : bodies.FirstOrDefault(b => b.Key == key);
        if (body is null)
        {
            await Console.Error.WriteLineAsync(bodies.Count == 0
                ? "There is no body yet; create one with import-oparl <source> --body <key> first."
                : $"Name the body with --body <key>; bodies: {string.Join(", ", bodies.Select(b => b.Key))}.");
            return 2;
        }

        var password = await ReadPasswordAsync(Option("--password-file"));
        var system = new Caller(Guid.Empty, Verb, body.Id, UserRole.Admin, new HashSet<Guid>(), null);
        var request = new CreateUserRequest(
            args[1], Option("--display-name") ?? args[1], Option("--email"), Option("--role"),
            Option("--committees")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), null, password);
        try
        {
            var user = await scope.ServiceProvider.GetRequiredService<ManageUsers>().CreateAsync(system, request, CancellationToken.None);
            Console.WriteLine($"Account '{user.UserName}' ({user.Role}{(user.Committees.Count > 0 ? ": " + string.Join(", ", user.Committees) : "")}) created in body '{body.Key}'.");
            return 0;
        }
        catch (RequestValidationException e)
        {
            foreach (var (field, messages) in e.Errors)
            {
                await Console.Error.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
            }

            return 1;
        }
    }

    private static async Task<string?> ReadPasswordAsync(string? file)
    {
        if (file is not null)
        {
            return (await File.ReadAllLinesAsync(file)).FirstOrDefault();
        }

        if (Console.IsInputRedirected)
        {
            return await Console.In.ReadLineAsync();
        }

        Console.Write("Password: ");
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
            {
                typed.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        Console.WriteLine();
        return typed.ToString();
    }
}
