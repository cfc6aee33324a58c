using DeliberationFlow.Council.Model;

namespace DeliberationFlow.Council.Notifications;

/// <summary>
/// The pages a message links to, as absolute URLs under the service's public address (<c>Mail:PublicBaseUrl</c>): mails
/// are mostly written by timers and jobs, which have no request whose host they could use. Built here alone, so every
/// kind links the same pages the same way, and a change of a route is one change.
/// </summary>
/// <remarks>
/// A paper is linked by its id, not its reference: the id needs no escaping whatever characters an imported reference has
/// (a slash would split the route), and says nothing of the paper — its page checks who may see it.
/// </remarks>
public sealed class MailLinks
{
    /// <summary>Where the embedded service listens when nothing else is configured (Kestrel's default).</summary>
    public const string DefaultBaseUrl = "http://localhost:5000";

    public static readonly MailLinks Default = new(DefaultBaseUrl);

    private readonly Uri _base;

    /// <exception cref="ArgumentException">Not an absolute http(s) URL as <see cref="Problem"/> describes.</exception>
    public MailLinks(string baseUrl)
    {
        if (Problem(baseUrl) is { } problem)
        {
            throw new ArgumentException($"Mail:PublicBaseUrl {problem}", nameof(baseUrl));
        }

        // With the trailing slash the base's own path is kept: "https://rat.example/ratsinfo" + "portal" would otherwise
        // lose "ratsinfo".
        var uri = new Uri(baseUrl.Trim(), UriKind.Absolute);
        _base = uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>What is wrong with a public address (worded to follow its key), or null for an absolute http(s) URL without query, fragment or login.</summary>
    public static string? Problem(string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(baseUrl) || !Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"'{baseUrl}' is not an absolute http or https URL; set the address at which recipients reach the service, e.g. https://ratsinfo.stadt.example.";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return $"'{baseUrl}' has a query or fragment; links are built below its path, so give the address without them.";
        }

        return uri.UserInfo.Length > 0
            ? $"'{baseUrl}' contains a user name or password, which every mail would carry; give the address without them."
            : null;
    }

    /// <summary>The start page (for everyone).</summary>
    public string Home => _base.AbsoluteUri;

    /// <summary>A councillor's portal: the next meetings, open Umlaufverfahren, followed papers and committees, notification settings.</summary>
    public string Portal => Link("portal");

    /// <summary>The Sitzungsdienst's workspace: the meetings of their committees.</summary>
    public string Workspace => Link("workspace");

    /// <summary>The paper's page: header, Beratungsfolge, documents, Umlaufverfahren.</summary>
    public string Paper(Paper paper) => Link("papers/" + paper.Id.ToString("D"));

    /// <summary>The meeting's page every signed-in user may open: its agenda as the reader may see it, then its results (Beschlussprotokoll).</summary>
    public string Meeting(Meeting meeting) => Link($"meetings/{meeting.Id:D}/minutes");

    /// <summary>The meeting in the Sitzungsdienst's workspace, where its agenda is kept.</summary>
    public string MeetingWorkspace(Meeting meeting) => Link($"workspace/meetings/{meeting.Id:D}");

    /// <summary>The links every kind of message has, as <c>links</c>.</summary>
    public Dictionary<string, object?> Model() => new()
    {
        ["home"] = Home,
        ["portal"] = Portal,
        ["workspace"] = Workspace,
    };

    // Relative to the base, escaped as a URL must be (a base with a space or an umlaut in its path comes out %-encoded).
    private string Link(string path) => new Uri(_base, path).AbsoluteUri;
}
