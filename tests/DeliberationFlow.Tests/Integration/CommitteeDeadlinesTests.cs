using System.Net;
using System.Net.Http.Json;
using DeliberationFlow.Council.Committees;
using DeliberationFlow.Council.Papers;
using DeliberationFlow.Persistence;
using DeliberationFlow.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Tests.Integration;

/// <summary>An admin sets a committee's deadlines; papers planned from then on follow them, planned ones keep their meeting.</summary>
[Collection(HostCollection.Name)]
public sealed class CommitteeDeadlinesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task ALongerVorlagenfrist_MovesNewPapersToALaterMeeting_AndLeavesPlannedOnesWhereTheyAre(DatabaseProvider provider)
    {
        await using var test = await TestApp.StartAsync(provider, Berlin.Clock(2021, 4, 1, 9));
        var before = await RegisterAsync(test, "21-17401");
        Assert.Equal(Berlin.At(2021, 4, 29, 15, 0), before.Consultations[0].MeetingStart);

        // 20 working days before Thursday 29.04.2021, without Karfreitag and Ostermontag, is before 01.04: too late for it.
        var saved = await test.ClientFor("admin").PutAsJsonAsync("/api/committees/fpa/deadlines", new SaveCommitteeDeadlinesRequest(20, true, 8, null, null));
        await Http.EnsureAsync(saved, HttpStatusCode.OK);
        var view = (await saved.Content.ReadFromJsonAsync<CommitteeView>())!;
        Assert.Equal((20, true, 8, 2, 1), (view.SubmissionDeadlineDays, view.SubmissionDeadlineInWorkingDays, view.NoticePeriodDays, view.UrgentSubmissionDeadlineDays, view.UrgentNoticePeriodDays));

        var after = await RegisterAsync(test, "21-17402");
        Assert.True(after.Consultations[0].MeetingStart > Berlin.At(2021, 4, 29, 15, 0), $"planned for {after.Consultations[0].MeetingStart}");
        Assert.Equal(Berlin.At(2021, 4, 29, 15, 0), (await test.GetPaperAsync("admin", before.Id)).Consultations[0].MeetingStart);
        var fpa = (await test.ClientFor("admin").GetFromJsonAsync<List<CommitteeView>>("/api/committees"))!.Single(c => c.Key == "fpa");
        Assert.Equal((20, 8), (fpa.SubmissionDeadlineDays, fpa.NoticePeriodDays));
    }

    [Fact]
    public async Task WrongDeadlines_AreRefusedFieldByField_AndOnlyAdminsMaySetThem_NothingChanges()
    {
        await using var test = await TestApp.StartAsync(DatabaseProvider.Postgres, Berlin.Clock(2021, 4, 1, 9));
        var admin = test.ClientFor("admin");
        var original = (await admin.GetFromJsonAsync<List<CommitteeView>>("/api/committees"))!.Single(c => c.Key == "fpa");

        var wrong = await admin.PutAsJsonAsync("/api/committees/fpa/deadlines", new SaveCommitteeDeadlinesRequest(5, null, 0, 9, null));
        var secretary = await test.ClientFor("sekretariat-fpa").PutAsJsonAsync("/api/committees/fpa/deadlines", new SaveCommitteeDeadlinesRequest(12, null, null, null, null));
        var unknown = await admin.PutAsJsonAsync("/api/committees/gibtsnicht/deadlines", new SaveCommitteeDeadlinesRequest(12, null, null, null, null));

        await Http.EnsureAsync(wrong, HttpStatusCode.BadRequest);
        var errors = (await wrong.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors;
        Assert.Equal(["noticePeriodDays", "urgentNoticePeriodDays", "urgentSubmissionDeadlineDays"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("normal Vorlagenfrist (5 days)", errors["urgentSubmissionDeadlineDays"][0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, secretary.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(original, (await admin.GetFromJsonAsync<List<CommitteeView>>("/api/committees"))!.Single(c => c.Key == "fpa"));
    }

    private static Task<PaperDetails> RegisterAsync(TestApp test, string reference) =>
        test.RegisterAsync("admin", new RegisterPaperRequest(reference, "Testvorlage", "Beschlussvorlage", "fb10", null, true, null, null));
}
