using DeliberationFlow.Council.Consultations;
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

        // Every kind links its reader onward (the sample's links are under https://ratsinfo.example.org/), in both parts.
        Assert.Contains(" https://ratsinfo.example.org/", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://ratsinfo.example.org/", mail.Html, StringComparison.Ordinal);
    }

    /// <summary>Which page each kind's shipped wording links: the one its reader needs next.</summary>
    [Theory]
    [InlineData(MailKinds.Invitation, "meeting.link", "items[].link")]
    [InlineData(MailKinds.Reminder, "meeting.link", "items[].link")]
    [InlineData(MailKinds.AgendaNotice, "meeting.link", "items[].link")]
    [InlineData(MailKinds.OutcomeNotice, "paper.link", null)]
    [InlineData(MailKinds.DeferralNotice, "paper.link", null)]
    [InlineData(MailKinds.ReferralNotice, "paper.link", null)]
    [InlineData(MailKinds.OutcomeCorrection, "paper.link", null)]
    [InlineData(MailKinds.Escalation, "paper.link", null)]
    [InlineData(MailKinds.CirculationRequest, "circulation.link", "paper.link")]
    [InlineData(MailKinds.CirculationFailed, "meeting.workspaceLink", "paper.link")]
    public async Task EachShippedTemplate_LinksThePagesItsReaderNeeds_InTextAndHtml(string kind, string first, string? second)
    {
        var model = MailKinds.Find(kind)!.Sample();
        foreach (var language in MailLanguages.All)
        {
            var mail = await MailRenderer.RenderAsync(DefaultMailTemplates.Get(kind, language), language, model);
            foreach (var field in new[] { first, second }.OfType<string>())
            {
                var link = Lookup(model, field);
                Assert.StartsWith("https://ratsinfo.example.org/", link, StringComparison.Ordinal);
                Assert.Contains(link, mail.Text, StringComparison.Ordinal);
                Assert.Contains($"href=\"{link}\"", mail.Html, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// A committee's follower is told where to stop following: the panel „Gremien, denen ich folge“ is in the portal
    /// (/portal), linked; the notice sent them to the start page, which has no such panel.
    /// </summary>
    [Theory]
    [InlineData(MailLanguages.German, "Beenden können Sie das in „Mein Portal“ unter „Gremien, denen ich folge“: https://ratsinfo.example.org/portal")]
    [InlineData(MailLanguages.English, "To stop it, go to \"My portal\", under \"Committees I follow\": https://ratsinfo.example.org/portal")]
    public async Task AnAgendaNotice_SaysWhereToStopFollowing_InThePortal_Linked(string language, string pointer)
    {
        var mail = await MailRenderer.RenderAsync(DefaultMailTemplates.Get(MailKinds.AgendaNotice, language), language, MailKinds.Find(MailKinds.AgendaNotice)!.Sample());

        Assert.Contains(pointer, mail.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://ratsinfo.example.org/portal\">", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Startseite", mail.Text + mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("home page", mail.Text + mail.Html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every kind that prints a tally counts one abstention in the singular ("1 Enthaltung", "1 abstention") and more in the
    /// plural; it printed "1 Enthaltungen". Ja/Nein, dafür/dagegen and for/against do not change.
    /// </summary>
    [Theory]
    [InlineData(MailKinds.OutcomeNotice)]
    [InlineData(MailKinds.DeferralNotice)]
    [InlineData(MailKinds.ReferralNotice)]
    [InlineData(MailKinds.OutcomeCorrection)]
    [InlineData(MailKinds.CirculationEnded)]
    public async Task ATally_CountsOneAbstention_InTheSingular_AndTwoInThePlural(string kind)
    {
        foreach (var (abstentions, german, english) in new[] { ("1", "1 Enthaltung", "1 abstention"), ("2", "2 Enthaltungen", "2 abstentions") })
        {
            var model = MailKinds.Find(kind)!.Sample();
            var consultation = (Dictionary<string, object?>)model["consultation"]!;
            (consultation["result"], consultation["votesFor"], consultation["votesAgainst"], consultation["abstentions"]) = ("beschlossen", "7", "2", abstentions);
            if (model.GetValueOrDefault("circulation") is Dictionary<string, object?> circulation)
            {
                circulation["decided"] = true; // the tally of a circulation is told once it is decided
            }

            foreach (var (language, expected) in new[] { (MailLanguages.German, german), (MailLanguages.English, english) })
            {
                var mail = await MailRenderer.RenderAsync(DefaultMailTemplates.Get(kind, language), language, model);
                foreach (var part in new[] { mail.Text, mail.Html })
                {
                    var at = part.IndexOf(expected, StringComparison.Ordinal);
                    Assert.True(at >= 0, $"{kind} ({language}) does not print \"{expected}\":\n{part}");
                    var next = at + expected.Length < part.Length ? part[at + expected.Length] : ' ';
                    Assert.False(abstentions == "1" && char.IsLetter(next), $"{kind} ({language}) prints \"{expected}{next}…\" for one abstention.");
                }
            }
        }
    }

    [Fact]
    public void ACorrectedOutcome_DescribesOneAbstention_InTheSingular()
    {
        Assert.Equal("„beschlossen“, 7 Ja, 2 Nein, 1 Enthaltung", new RecordedOutcome("beschlossen", null, 7, 2, 1).Describe());
        Assert.Equal("\"beschlossen\", 7 for, 2 against, 1 abstention", new RecordedOutcome("beschlossen", null, 7, 2, 1).Describe(MailLanguages.English));
        Assert.Equal("„beschlossen“, 7 Ja, 2 Nein, 2 Enthaltungen", new RecordedOutcome("beschlossen", null, 7, 2, 2).Describe());
        Assert.Equal("\"beschlossen\", 7 for, 2 against, 0 abstentions", new RecordedOutcome("beschlossen", null, 7, 2, 0).Describe(MailLanguages.English));
    }

    [Fact]
    public async Task AMeetingChange_LinksTheMeetingForMembers_AndThePaperForTheLeadOffice()
    {
        var model = MailKinds.Find(MailKinds.MeetingChange)!.Sample();
        var paperLink = Lookup(model, "paper.link");
        var meetingLink = Lookup(model, "meeting.link");
        var office = await MailRenderer.RenderAsync(DefaultMailTemplates.Get(MailKinds.MeetingChange, MailLanguages.German), MailLanguages.German, model);
        Assert.Contains($"Die Vorlage in DeliberationFlow: {paperLink}", office.Text, StringComparison.Ordinal);

        model["paper"] = null;
        var member = await MailRenderer.RenderAsync(DefaultMailTemplates.Get(MailKinds.MeetingChange, MailLanguages.English), MailLanguages.English, model);
        Assert.Contains($"The meeting in DeliberationFlow: {meetingLink}", member.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{meetingLink}\"", member.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("/papers/", member.Text + member.Html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Links are built under the configured address, its own path kept and escaped; a paper is linked by its id, so the
    /// link of a non-public paper names nothing of it.
    /// </summary>
    [Fact]
    public void Links_AreBuiltUnderThePublicAddress_EscapedAndKeepingItsPath_NamingAPaperOnlyByItsId()
    {
        var links = new MailLinks("https://rat.example.org/sitzungs dienst");
        var paper = new Paper { Id = Guid.Parse("0190a1b2-0000-7000-8000-000000015600"), Reference = "N 12/2021", Name = "Grundstücksverkauf Am Ring", PaperType = "Beschlussvorlage", IsPublic = false };
        var meeting = new Meeting { Id = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), Name = "Sitzung" };

        Assert.Equal("https://rat.example.org/sitzungs%20dienst/", links.Home);
        Assert.Equal("https://rat.example.org/sitzungs%20dienst/portal", links.Portal);
        Assert.Equal("https://rat.example.org/sitzungs%20dienst/papers/0190a1b2-0000-7000-8000-000000015600", links.Paper(paper));
        Assert.Equal("https://rat.example.org/sitzungs%20dienst/meetings/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/minutes", links.Meeting(meeting));
        Assert.Equal("https://rat.example.org/sitzungs%20dienst/workspace/meetings/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", links.MeetingWorkspace(meeting));
        Assert.Equal("http://localhost:5000/portal", MailLinks.Default.Portal);
        Assert.Equal(links.Paper(paper), MailModels.Paper(paper, links)["link"]);
        Assert.Equal("", MailModels.Meeting(null, new Body { Key = "bs", Name = "Stadt" }, MailLanguages.German, links)["link"]);
    }

    [Theory]
    [InlineData("", "is not an absolute http or https URL")]
    [InlineData("ratsinfo.stadt.example", "is not an absolute http or https URL")]
    [InlineData("/ratsinfo", "is not an absolute http or https URL")]
    [InlineData("ftp://ratsinfo.stadt.example", "is not an absolute http or https URL")]
    [InlineData("https://ratsinfo.stadt.example/?body=bs", "has a query or fragment")]
    [InlineData("https://ratsinfo.stadt.example/#top", "has a query or fragment")]
    [InlineData("https://admin:geheim@ratsinfo.stadt.example", "contains a user name or password")]
    public void APublicAddressThatCannotCarryLinks_IsRefused_NamingTheKey(string value, string problem)
    {
        var failure = new MailOptionsValidator().Validate(null, new MailOptions { PublicBaseUrl = value });

        Assert.True(failure.Failed);
        Assert.Contains($"Mail:PublicBaseUrl '{value}' {problem}", Assert.Single(failure.Failures!), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MailLinks(value));
    }

    [Theory]
    [InlineData("http://localhost:5000")]
    [InlineData("https://ratsinfo.stadt.example/rat/")]
    public void APublicAddress_IsAccepted(string value) =>
        Assert.True(new MailOptionsValidator().Validate(null, new MailOptions { PublicBaseUrl = value }).Succeeded);

    private static string Lookup(Dictionary<string, object?> model, string path)
    {
        object? current = model;
        foreach (var segment in path.Split('.'))
        {
            current = segment.EndsWith("[]", StringComparison.Ordinal)
                ? ((List<object?>)((Dictionary<string, object?>)current!)[segment[..^2]]!)[0]
                : ((Dictionary<string, object?>)current!)[segment];
        }

        return (string)current!;
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
            model["meeting"] = MailModels.Meeting(meeting, body, MailLanguages.German, MailLinks.Default);
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
