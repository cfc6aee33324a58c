using DeliberationFlow.Council.Access;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace DeliberationFlow.Server.Web;

/// <summary>
/// How pages reach the Council use cases: each call gets its own DI scope (a fresh unit of work), because a
/// Blazor circuit lives for the whole visit and one DbContext must not serve overlapping or stale calls.
/// The caller is built from the signed-in user exactly as the API builds it, so pages and API decide alike.
/// </summary>
public sealed class CouncilCalls(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    private TimeZoneInfo? _bodyZone;

    /// <summary>
    /// The signed-in user's body's zone, in which every page shows instants (a meeting's start, a journal entry). Read once
    /// per circuit: a body's zone is set when it is created, and the next visit reads it again.
    /// </summary>
    public async Task<TimeZoneInfo> BodyZoneAsync() =>
        _bodyZone ??= await RunAsync<CallerBodyZone, TimeZoneInfo>((zone, caller) => zone.HandleAsync(caller, CancellationToken.None));

    public async Task<Caller> CallerAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.ToCaller();
    }

    public async Task<TResult> RunAsync<TUseCase, TResult>(Func<TUseCase, Caller, Task<TResult>> call)
        where TUseCase : notnull
    {
        var caller = await CallerAsync();
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TUseCase>(), caller);
    }

    public async Task RunAsync<TUseCase>(Func<TUseCase, Caller, Task> call)
        where TUseCase : notnull
    {
        var caller = await CallerAsync();
        await using var scope = scopes.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<TUseCase>(), caller);
    }
}
