using DeliberationFlow.Persistence;
using DeliberationFlow.Server.Demo;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DeliberationFlow.Server.Hosting;

public static class StartupBanner
{
    /// <summary>
    /// Once the server listens, tells the person who started it where to go and how to sign in. Off with
    /// <c>Hosting:StartupBanner=false</c>: hosts that start many instances (the tests, a process supervisor)
    /// would otherwise repeat it in their logs.
    /// </summary>
    public static WebApplication PrintStartupBanner(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Hosting:StartupBanner", true))
        {
            return app;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var database = app.Services.GetRequiredService<DatabaseOptions>();
            var url = addresses.FirstOrDefault() ?? "(unknown)";
            var lines = new List<string>
            {
                "",
                "DeliberationFlow is running.",
                $"  URL:        {url}",
                $"  API:        {url}/scalar/v1  (OpenAPI: {url}/openapi/v1.json)",
                $"  Health:     {url}/health/ready",
                $"  Jobs:       {url}/jobs  (admins)",
                $"  Database:   {database.Provider}",
            };
            if (app.Configuration.GetValue("DemoData:Enabled", true))
            {
                // The same accounts open the web UI (cookie sign-in) and the API (HTTP Basic).
                lines.Add($"  Demo accounts (sign in at {url}/account/signin; the API takes the same with HTTP Basic):");
                lines.AddRange(DemoData.Accounts.Select(a => $"    {a.UserName,-18} / {DemoData.Password,-6}  {a.Description}"));
            }

            Console.WriteLine(string.Join(Environment.NewLine, lines) + Environment.NewLine);
        });
        return app;
    }
}
