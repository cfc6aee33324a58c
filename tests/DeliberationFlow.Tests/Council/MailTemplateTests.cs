using DeliberationFlow.Council.Model;
using DeliberationFlow.Council.Notifications;
using DeliberationFlow.Council.Notifications.Templates;
using DeliberationFlow.Notifications;
using MimeKit;

namespace DeliberationFlow.Tests.Council;

/// <summary>The shipped templates and the checks that keep a body's own templates from printing nothing.</summary>
public sealed class MailTemplateTests
{
    public static TheoryData<string, string> KindsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in MailKinds.All)
        {
            foreach (var language in MailLanguages.All)
            {
                data.Add(kind.Name, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public async Task EveryShippedTemplate_PassesItsOwnChecks_AndRendersTheSample(string kind, string language)
    {
        var template = DefaultMailTemplates.Get(kind, language);
        var model = MailKinds.Find(kind)!.Sample();
        Assert.Empty(TemplateChecker.Check("subject", template.Subject, model));
        Assert.Empty(TemplateChecker.Check("text", template.Text, model));
        Assert.Empty(TemplateChecker.Check("html", template.Html, model));

        var mail = await MailRenderer.RenderAsync(template, language, model);
        Assert.Contains("21-15513", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Finanz- und Personalausschuss", mail.Subject + mail.Text, StringComparison.Ordinal);
        Assert.Contains("<html", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', mail.Subject);
    }

    [Fact]
    public void UnknownFields_AreReportedWithTheirPlace_ThroughLoopsToo()
    {
        var model = MailKinds.Find(MailKinds.Invitation)!.Sample();
        var source = "Hallo {{ recipient.name }},\nam {{ meeting.dat }}:\n{% for item in items %}{{ item.reference }} {{ item.titel }}{% endfor %}\n{% assign x = 1 %}{{ x }} {{ items.size }} {{ items.first.name }} {{ gremium }}";

        var problems = TemplateChecker.Check("text", source, model);

        Assert.Equal(
            ["text (2:7): Unknown field 'meeting.dat'.", "text (3:48): Unknown field 'item.titel'.", "text (4:70): Unknown field 'gremium'."],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void ATemplateThatDoesNotParse_IsReportedWithLineAndColumn()
    {
        var problem = Assert.Single(TemplateChecker.Check("html", "<p>\n{% if meeting.date %}\n{{ meeting.date </p>", MailKinds.Find(MailKinds.Reminder)!.Sample()));

        Assert.Equal("html", problem.Part);
        Assert.NotNull(problem.Line);
        Assert.NotNull(problem.Column);
        Assert.InRange(problem.Line!.Value, 2, 3);
    }

    [Theory]
    [InlineData("{{ 1 | divided_by: 0 }}")] // parses, names no field, fails only when rendered
    [InlineData("{% for i in (1..9000) %}{% for j in (1..9000) %}{% endfor %}{% endfor %}")] // 81 million rounds would hold the step for minutes
    [InlineData("{% for i in (1..9000) %}{% for j in (1..9000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}")] // gigabytes of text
    [InlineData("{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}")] // a trillion characters, none written
    [InlineData("{% assign a = 'x' | split: ',' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}")] // a trillion elements
    public async Task APartThatFailsWhenRendered_IsReportedWithThePart_WithinBoundedTimeAndOutput(string text)
    {
        var model = MailKinds.Find(MailKinds.Reminder)!.Sample();
        var template = new MailTemplateText("Erinnerung", text, "<p>x</p>");
        Assert.Empty(TemplateChecker.Check("text", text, model));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<MailTemplateRenderException>(() => MailRenderer.RenderAsync(template, MailLanguages.German, model));

        Assert.Equal("text", failure.Part);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ACaptureOrARangeWithAComputedBound_IsRefused_AndAStoredOneIsNotRendered()
    {
        var model = MailKinds.Find(MailKinds.Reminder)!.Sample();
        const string text = "{% assign n = 5 %}{% for i in (1..n) %}{% endfor %}{% capture s %}x{% endcapture %}";

        var problems = TemplateChecker.Check("text", text, model);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.StartsWith("A range's bounds must be numbers", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.StartsWith("'capture' is not available", StringComparison.Ordinal));
        var failure = await Assert.ThrowsAsync<MailTemplateRenderException>(() =>
            MailRenderer.RenderAsync(new MailTemplateText("Erinnerung", text, "<p>x</p>"), MailLanguages.German, model));
        Assert.Equal("text", failure.Part);
    }

    [Fact]
    public void ALiteralRangeTooLongToBuild_IsReported()
    {
        var model = MailKinds.Find(MailKinds.Reminder)!.Sample();

        var problem = Assert.Single(TemplateChecker.Check("html", "{% for i in (1..100000000) %}{% endfor %}{% for i in (1..10) %}{% endfor %}", model));

        Assert.Contains("(1..100000000)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValuesAreEscapedInHtml_ButNotInTextOrSubject_AndUmlautsStayReadable()
    {
        var model = MailKinds.Find(MailKinds.Invitation)!.Sample();
        ((Dictionary<string, object?>)model["committee"]!)["name"] = "Ausschuss <Grün> & Größe";
        var mail = await MailRenderer.RenderAsync(DefaultMailTemplates.Get(MailKinds.Invitation, MailLanguages.German), MailLanguages.German, model);

        Assert.Contains("Ausschuss &lt;Grün&gt; &amp; Größe", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Ausschuss <Grün> & Größe", mail.Text, StringComparison.Ordinal);
        Assert.Equal("Einladung: Ausschuss <Grün> & Größe am 29.04.2021 – 21-15513, 21-15600", mail.Subject);
    }

    [Fact]
    public async Task InEmbeddedMode_AnInvitationBecomesAnEmlFile_WithTextHtmlAndTheCalendarEntry()
    {
        var folder = Directory.CreateTempSubdirectory("deliberationflow-pickup-").FullName;
        try
        {
            var now = new DateTimeOffset(2021, 4, 22, 13, 0, 0, TimeSpan.Zero);
            var body = new Body { Id = Guid.NewGuid(), Key = "bs", Name = "Stadt Braunschweig" };
            var committee = new Organization { Id = Guid.NewGuid(), BodyId = body.Id, Key = "fpa", Name = "Finanz- und Personalausschuss" };
            var meeting = new Meeting
            {
                Id = Guid.NewGuid(), BodyId = body.Id, OrganizationId = committee.Id, Name = "Sitzung", Location = "Rathaus, Großer Sitzungssaal",
                Start = new DateTimeOffset(2021, 4, 29, 13, 0, 0, TimeSpan.Zero), Created = now, Modified = now,
            };
            var model = MailKinds.Find(MailKinds.Invitation)!.Sample();
            model["meeting"] = MailModels.Meeting(meeting, body, MailLanguages.German);
            var mail = await MailRenderer.RenderAsync(DefaultMailTemplates.Get(MailKinds.Invitation, MailLanguages.German), MailLanguages.German, model);
            var row = Notices.Create(MailKinds.Invitation, "k", body.Id, "erika@example.org", "Erika Müller", mail, null, now,
                MeetingCalendar.Invitation(meeting, committee, body, ["Ö 1 21-15513"], MailIdentity.Default));
            var message = new MimeMessage { Subject = row.Subject, Body = OutboxDispatcher.Body(row), MessageId = "pickup-test@deliberationflow" };
            message.From.Add(new MailboxAddress("Sitzungsdienst", "sitzungsdienst@example.org"));
            message.To.Add(new MailboxAddress(row.RecipientName, row.RecipientAddress));

            DeliveryResult? result = null;
            await new PickupDirectoryMailTransport(new MailOptions { PickupDirectory = folder })
                .SendAsync([message], (_, r) => { result = r; return Task.CompletedTask; }, CancellationToken.None);

            Assert.True(result!.Accepted);
            var written = await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(folder, "*.eml")));
            Assert.Equal("Einladung: Finanz- und Personalausschuss am 29.04.2021 – 21-15513, 21-15600", written.Subject);
            Assert.Contains("Ort: Rathaus, Großer Sitzungssaal", written.TextBody, StringComparison.Ordinal);
            Assert.Contains("<td>Rathaus, Großer Sitzungssaal</td>", written.HtmlBody, StringComparison.Ordinal);
            var part = Assert.Single(written.Attachments.OfType<MimePart>());
            using var content = new MemoryStream();
            await part.Content!.DecodeToAsync(content);
            var calendar = Ical.Net.Calendar.Load(System.Text.Encoding.UTF8.GetString(content.ToArray()))!;
            Assert.Equal("REQUEST", calendar.Method);
            Assert.Equal(new DateTime(2021, 4, 29, 15, 0, 0), Assert.Single(calendar.Events).DtStart!.Value);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
