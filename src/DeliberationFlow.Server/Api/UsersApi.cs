using DeliberationFlow.Council.Access;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

/// <summary>The body's accounts (admins) and the signed-in user's own password.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", ListAsync)
            .WithSummary("The body's accounts, with the committees and persons an account can be given (admins)")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        users.MapPost("/", CreateAsync)
            .WithSummary("Creates an account with its role, committees (secretaries), person (councillors) and first password (admins)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        users.MapPut("/{id}", UpdateAsync)
            .WithSummary("Changes an account's name, e-mail, role, committees and person; its sessions end (admins)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/{id}/password", SetPasswordAsync)
            .WithSummary("Sets a new password for an account; its sessions end (admins)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/{id}/deactivate", DeactivateAsync)
            .WithSummary("Deactivates an account: it signs in no more and its sessions end; the account stays for the record (admins)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("/{id}/reactivate", ReactivateAsync)
            .WithSummary("Lets a deactivated account sign in again (admins)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/me/password", ChangeOwnPasswordAsync).WithTags("Users")
            .WithSummary("Changes the signed-in user's password, given the current one; other sessions end")
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Ok<UserDirectory>> ListAsync(ManageUsers users, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(http.User.ToCaller(), cancellationToken));

    private static async Task<Created<UserView>> CreateAsync(CreateUserRequest request, ManageUsers users, HttpContext http, CancellationToken cancellationToken)
    {
        var user = await users.CreateAsync(http.User.ToCaller(), request, cancellationToken);
        return TypedResults.Created($"/api/users/{user.Id}", user);
    }

    private static async Task<Ok<UserView>> UpdateAsync(Guid id, UpdateUserRequest request, ManageUsers users, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.UpdateAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<UserView>> SetPasswordAsync(Guid id, SetPasswordRequest request, ManageUsers users, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.SetPasswordAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<UserView>> DeactivateAsync(Guid id, ManageUsers users, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.DeactivateAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<Ok<UserView>> ReactivateAsync(Guid id, ManageUsers users, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ReactivateAsync(http.User.ToCaller(), id, cancellationToken));

    private static async Task<NoContent> ChangeOwnPasswordAsync(ChangePasswordRequest request, ManageUsers users, HttpContext http, CancellationToken cancellationToken)
    {
        await users.ChangeOwnPasswordAsync(http.User.ToCaller(), request.CurrentPassword, request.NewPassword, cancellationToken);
        return TypedResults.NoContent();
    }
}
