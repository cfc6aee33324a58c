using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace DeliberationFlow.Council.OParl;

/// <summary>The operator's settings of the OParl import (<c>OParl:Import</c>).</summary>
public sealed class OParlImportOptions
{
    public const string Section = "OParl:Import";

    /// <summary>
    /// CIDR ranges (<c>10.20.0.0/16</c>, <c>fd00:ab::/32</c>), single addresses or host names (<c>ris.intranet.example</c>)
    /// the import may reach although they are not on the public internet: a council's RIS on its intranet. Empty: none.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// How long one import may read a server in all (<c>OParl:Import:TimeLimit</c>, e.g. <c>01:00:00</c>); then it stops
    /// reading, imports what it read and says where it stopped (<see cref="OParlImportReport.CutShort"/>). Without it an
    /// import may run for the 20,000 pages it reads at most, each up to two minutes.
    /// </summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Keeps the OParl import from being a tool for server-side request forgery. An admin names the start URL, and the
/// remote server names every further URL (lists, <c>next</c> pages, redirects), so neither may make this server read
/// its own loopback services, the cloud metadata endpoint (169.254.169.254) or other hosts of the internal network.
/// The check runs in <see cref="SocketsHttpHandler.ConnectCallback"/>, on the address actually connected to after our own
/// name resolution: a host name that first resolves to a public address and then to an internal one (DNS rebinding), and
/// a redirect to an internal address, meet the same check, because every new connection does.
/// </summary>
public sealed class ImportAddressGuard
{
    public const string SettingName = "OParl:Import:AllowedNetworks";

    /// <summary>Every range that is not the public internet, with the name the refusal gives it.</summary>
    private static readonly (IPNetwork Network, string Kind)[] NotPublic =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified, \"this network\""),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local, where cloud metadata services answer"),
        (IPNetwork.Parse("10.0.0.0/8"), "RFC 1918"),
        (IPNetwork.Parse("172.16.0.0/12"), "RFC 1918"),
        (IPNetwork.Parse("192.168.0.0/16"), "RFC 1918"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT, RFC 6598"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved or broadcast"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local, deprecated"),
        (IPNetwork.Parse("fc00::/7"), "unique local, fc00::/7"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    // NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits; a NAT64 gateway connects to that address.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private readonly IReadOnlyList<IPNetwork> _allowedNetworks;
    private readonly HashSet<string> _allowedHosts;

    public ImportAddressGuard(OParlImportOptions options)
    {
        var networks = new List<IPNetwork>();
        _allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in options.AllowedNetworks)
        {
            switch (ParseEntry(entry))
            {
                case (IPNetwork network, null, null):
                    networks.Add(network);
                    break;
                case (null, string host, null):
                    _allowedHosts.Add(host);
                    break;
                case (_, _, string error):
                    // The options validator stops the start before this; a guard built by hand must not allow less or more than said.
                    throw new ArgumentException(error, nameof(options));
            }
        }

        _allowedNetworks = networks;
    }

    /// <summary>
    /// Reads one entry of <see cref="SettingName"/>: a CIDR range, a single address (a range of one), or a host name;
    /// anything else is an error that names the entry and says what is expected.
    /// </summary>
    public static (IPNetwork? Network, string? Host, string? Error) ParseEntry(string? entry)
    {
        var text = entry?.Trim() ?? "";
        if (text.Contains('/', StringComparison.Ordinal))
        {
            // An address with bits set beyond its prefix (10.0.0.1/8) is refused although .NET reads it: the operator meant
            // either one address or another range, and an allowed network is too important to guess which.
            return IPNetwork.TryParse(text, out var network) && IPAddress.TryParse(text[..text.IndexOf('/', StringComparison.Ordinal)], out var written)
                                                            && written.Equals(network.BaseAddress)
                ? (network, null, null)
                : (null, null, $"{SettingName} entry '{entry}' is not a CIDR range (e.g. 10.20.0.0/16 or fd00:ab::/32; the address must end where the prefix ends).");
        }

        if (IPAddress.TryParse(text.Trim('[', ']'), out var address))
        {
            address = Normalize(address);
            return (new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128), null, null);
        }

        return Uri.CheckHostName(text) == UriHostNameType.Dns
            ? (null, text.TrimEnd('.'), null)
            : (null, null, $"{SettingName} entry '{entry}' is neither a CIDR range, an IP address nor a host name (e.g. 10.20.0.0/16, 10.20.1.5 or ris.intranet.example).");
    }

    /// <summary>
    /// What kind of address outside the public internet this is (loopback, link-local, RFC 1918 …), or null
    /// for a public one. An IPv4 address written as IPv6 (<c>::ffff:127.0.0.1</c>, or NAT64's <c>64:ff9b::</c>) is
    /// judged by the IPv4 address it reaches.
    /// </summary>
    public static string? NotPublicKind(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            address = new IPAddress(bytes[12..]);
        }

        foreach (var (network, kind) in NotPublic)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>Null when the import may connect to <paramref name="address"/>, which <paramref name="host"/> resolved to; else why not.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        address = Normalize(address);
        if (NotPublicKind(address) is not { } kind || _allowedHosts.Contains(host.TrimEnd('.')) || _allowedNetworks.Any(n => n.Contains(address)))
        {
            return null;
        }

        var what = IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"{address}" : $"'{host}' resolves to {address}, which";
        return $"{what} is in a private network ({kind}); the import reads only from the public internet, but an operator can allow it with {SettingName}.";
    }

    /// <summary>The handler of the import's HttpClient: every connection goes through <see cref="ConnectAsync"/>.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,

        // With a proxy the connection goes to the proxy and the proxy resolves the target; our check would then see only the
        // proxy's address. The import therefore connects directly.
        UseProxy = false,

        // The reader follows redirects itself: SocketsHttpHandler's own redirects (from http) would follow a Location of
        // any scheme, e.g. file: or ftp:. Each hop is a request of its own, its connection checked by the callback.
        AllowAutoRedirect = false,
    };

    /// <summary>
    /// Resolves the host itself and connects only to an address it may reach; when it may reach none, it refuses before
    /// any packet leaves, with <see cref="ImportAddressRefusedException"/>.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => Refusal(host, a) is null).Select(Normalize).ToArray();
        if (allowed.Length == 0)
        {
            throw new ImportAddressRefusedException(addresses.Length == 0
                ? $"'{host}' does not resolve to any address."
                : Refusal(host, addresses[0])!);
        }

        // Dual mode: one socket connects to IPv6 and IPv4 addresses alike, tried in the resolver's order.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

/// <summary>
/// The import refused to go where a URL leads: to an address outside the public internet that no operator allowed, or
/// (by a redirect) to another scheme than http(s). Nothing was sent there.
/// </summary>
public sealed class ImportAddressRefusedException(string message) : Exception(message);

/// <summary>Checks <see cref="OParlImportOptions"/> at start-up: every entry that is no range, address or host name is named.</summary>
public sealed class OParlImportOptionsValidator : IValidateOptions<OParlImportOptions>
{
    public ValidateOptionsResult Validate(string? name, OParlImportOptions options)
    {
        var failures = options.AllowedNetworks.Select(e => ImportAddressGuard.ParseEntry(e).Error).OfType<string>().ToList();
        if (options.TimeLimit <= TimeSpan.Zero)
        {
            failures.Add($"OParl:Import:TimeLimit must be longer than zero (e.g. 01:00:00 for an hour); it is {options.TimeLimit}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
