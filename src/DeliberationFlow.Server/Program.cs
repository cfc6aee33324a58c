using DeliberationFlow.Server.Api;
using DeliberationFlow.Server.Demo;
using DeliberationFlow.Server.Hosting;
using DeliberationFlow.Server.OParl;
using DeliberationFlow.Server.Security;
using DeliberationFlow.Server.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddDeliberationStorage();
builder.AddDeliberationSecurity();
builder.AddDeliberationApi();
builder.AddDeliberationWebUi();
builder.AddOParl();
builder.Services.AddScoped<DemoData>();

var app = builder.Build();
await app.PrepareAsync();
if (OParlImportCommand.IsRequested(args))
{
    // dotnet run --project src/DeliberationFlow.Server -- import-oparl <url-or-folder> [--body key]
    return await OParlImportCommand.RunAsync(app, args);
}

if (AddUserCommand.IsRequested(args))
{
    // dotnet run --project src/DeliberationFlow.Server -- add-user <name> --role Admin [--body key] (the first admin)
    return await AddUserCommand.RunAsync(app, args);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseDeliberationWebUiCulture();
app.UseAntiforgery();
app.MapOperations();
app.MapCouncilApi();
app.MapDeliberationWebUi();
app.MapOParl();
app.PrintStartupBanner();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
