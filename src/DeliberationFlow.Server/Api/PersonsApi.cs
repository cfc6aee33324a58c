using DeliberationFlow.Council.Persons;
using DeliberationFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeliberationFlow.Server.Api;

public static class PersonsApi
{
    public static RouteGroupBuilder MapPersonsApi(this RouteGroupBuilder api)
    {
        var persons = api.MapGroup("/persons").WithTags("Persons").RequireAuthorization(SecurityExtensions.AdminPolicy);
        persons.MapGet("/", ListAsync)
            .WithSummary("The body's persons with their committee seats, and the committees to choose from; imported ones marked. Search in name and e-mail (q), a page at a time (page, pageSize: 25, at most 100)")
            .ProducesValidationProblem();
        persons.MapPost("/", CreateAsync)
            .WithSummary("Adds a person (name, e-mail for invitations)")
            .ProducesValidationProblem();
        persons.MapPut("/{id}", UpdateAsync)
            .WithSummary("Changes a person's name and e-mail; an imported person is changed in its source (409)")
            .ProducesChangeProblems();
        persons.MapPost("/{id}/memberships", AddMembershipAsync)
            .WithSummary("Gives a person a seat in a committee: {\"committee\":\"fpa\",\"role\":\"Mitglied\",\"votingRight\":true,\"startDate\":\"2021-11-01\"}")
            .ProducesChangeProblems();
        api.MapPost("/memberships/{id}/end", EndMembershipAsync).WithTags("Persons").RequireAuthorization(SecurityExtensions.AdminPolicy)
            .WithSummary("Ends a seat on its last day: {\"endDate\":\"2026-10-31\"}; an imported seat is ended in its source (409)")
            .ProducesChangeProblems();
        return api;
    }

    private static async Task<Ok<PersonDirectory>> ListAsync(
        string? q, int? page, int? pageSize, ManagePersons persons, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await persons.ListAsync(http.User.ToCaller(), new ListPersonsRequest(q, page, pageSize), cancellationToken));

    private static async Task<Created<PersonView>> CreateAsync(SavePersonRequest request, ManagePersons persons, HttpContext http, CancellationToken cancellationToken)
    {
        var person = await persons.CreateAsync(http.User.ToCaller(), request, cancellationToken);
        return TypedResults.Created($"/api/persons/{person.Id}", person);
    }

    private static async Task<Ok<PersonView>> UpdateAsync(Guid id, SavePersonRequest request, ManagePersons persons, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await persons.UpdateAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<PersonView>> AddMembershipAsync(
        Guid id, AddMembershipRequest request, ManagePersons persons, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await persons.AddMembershipAsync(http.User.ToCaller(), id, request, cancellationToken));

    private static async Task<Ok<PersonView>> EndMembershipAsync(
        Guid id, EndMembershipRequest request, ManagePersons persons, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await persons.EndMembershipAsync(http.User.ToCaller(), id, request, cancellationToken));
}
