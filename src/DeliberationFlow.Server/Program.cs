using DeliberationFlow.Server.Api;
using DeliberationFlow.Server.Demo;
using DeliberationFlow.Server.Hosting;
using DeliberationFlow.Server.Security;
using DeliberationFlow.Server.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddDeliberationStorage();
builder.AddDeliberationSecurity();
builder.AddDeliberationApi();
builder.AddDeliberationWebUi();
builder.Services.AddScoped<DemoData>();

var app = builder.Build();
await app.PrepareAsync();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseDeliberationWebUiCulture();
app.UseAntiforgery();
app.MapOperations();
app.MapCouncilApi();
app.MapDeliberationWebUi();
app.PrintStartupBanner();
await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
