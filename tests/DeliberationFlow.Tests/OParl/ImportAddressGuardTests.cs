using System.Net;
using DeliberationFlow.Council.OParl;

namespace DeliberationFlow.Tests.OParl;

/// <summary>Which addresses the OParl import may connect to, and how an operator's allowed networks are read.</summary>
public sealed class ImportAddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("10.0.0.1", "RFC 1918")]
    [InlineData("10.255.255.255", "RFC 1918")]
    [InlineData("172.16.0.1", "RFC 1918")]
    [InlineData("172.31.255.255", "RFC 1918")]
    [InlineData("192.168.0.1", "RFC 1918")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("255.255.255.255", "reserved or broadcast")]
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456:789a::1", "unique local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::ffff:10.0.0.1", "RFC 1918")]
    [InlineData("::ffff:192.168.178.1", "RFC 1918")]
    [InlineData("::ffff:100.64.0.1", "carrier-grade NAT")]
    [InlineData("::ffff:0.0.0.0", "unspecified")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")] // NAT64 of 169.254.169.254
    public void AddressesOutsideThePublicInternet_AreNamedByTheirKind(string address, string kind)
    {
        var named = ImportAddressGuard.NotPublicKind(IPAddress.Parse(address));
        Assert.NotNull(named);
        Assert.StartsWith(kind, named, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.215.14")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("128.0.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2a00:1450:4001:82b::200e")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void PublicAddresses_AreNotNamed(string address) =>
        Assert.Null(ImportAddressGuard.NotPublicKind(IPAddress.Parse(address)));

    [Fact]
    public void WithoutAllowedNetworks_OnlyPublicAddressesMayBeReached_AndTheRefusalSaysWhatToDo()
    {
        var guard = new ImportAddressGuard(new OParlImportOptions());
        Assert.Null(guard.Refusal("ris.example.org", IPAddress.Parse("93.184.215.14")));
        Assert.Equal(
            "'ris.example.org' resolves to 10.1.2.3, which is in a private network (RFC 1918); the import reads only from the public internet, but an operator can allow it with OParl:Import:AllowedNetworks.",
            guard.Refusal("ris.example.org", IPAddress.Parse("10.1.2.3")));
        Assert.Equal(
            "169.254.169.254 is in a private network (link-local, where cloud metadata services answer); the import reads only from the public internet, but an operator can allow it with OParl:Import:AllowedNetworks.",
            guard.Refusal("169.254.169.254", IPAddress.Parse("169.254.169.254")));
        Assert.NotNull(guard.Refusal("[::ffff:127.0.0.1]", IPAddress.Parse("::ffff:127.0.0.1")));
    }

    [Fact]
    public void AllowedNetworks_OpenTheirRangesAddressesAndHostNames_AndNothingElse()
    {
        var guard = new ImportAddressGuard(new OParlImportOptions { AllowedNetworks = ["127.0.0.0/8", " fd00:ab::/32 ", "10.20.1.5", "RIS.intranet.example"] });

        Assert.Null(guard.Refusal("127.0.0.1", IPAddress.Parse("127.0.0.1")));
        Assert.Null(guard.Refusal("localhost", IPAddress.Parse("::ffff:127.0.0.2"))); // the IPv4 range covers its IPv4-mapped form
        Assert.NotNull(guard.Refusal("localhost", IPAddress.Parse("::1"))); // the IPv6 loopback is not in 127.0.0.0/8
        Assert.Null(guard.Refusal("ris", IPAddress.Parse("fd00:ab::17")));
        Assert.NotNull(guard.Refusal("ris", IPAddress.Parse("fd00:ac::17")));
        Assert.Null(guard.Refusal("ris", IPAddress.Parse("10.20.1.5")));
        Assert.NotNull(guard.Refusal("ris", IPAddress.Parse("10.20.1.6")));

        // A host name allows whatever it resolves to (the operator vouches for the name), in any spelling of the name.
        Assert.Null(guard.Refusal("ris.intranet.example", IPAddress.Parse("10.99.0.1")));
        Assert.Null(guard.Refusal("ris.INTRANET.example.", IPAddress.Parse("10.99.0.1")));
        Assert.NotNull(guard.Refusal("other.intranet.example", IPAddress.Parse("10.99.0.1")));
        Assert.NotNull(guard.Refusal("ris.intranet.example.evil.example", IPAddress.Parse("10.99.0.1")));
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.10.0/24")]
    [InlineData("fd00::/8")]
    [InlineData("10.20.1.5")]
    [InlineData("::1")]
    [InlineData("[fd00::1]")]
    [InlineData("ris.intranet.example")]
    [InlineData("localhost")]
    public void ValidEntries_AreRead(string entry) => Assert.Null(ImportAddressGuard.ParseEntry(entry).Error);

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/8")] // not the start of its range: probably a typing mistake, so better said than guessed
    [InlineData("fd00::/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("intranet ris")]
    [InlineData("http://ris.intranet.example/")]
    [InlineData("")]
    public void InvalidEntries_AreNamed(string entry)
    {
        var error = ImportAddressGuard.ParseEntry(entry).Error;
        Assert.NotNull(error);
        Assert.StartsWith($"OParl:Import:AllowedNetworks entry '{entry}' is ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheValidator_NamesEveryInvalidEntry()
    {
        var result = new OParlImportOptionsValidator().Validate(null, new OParlImportOptions { AllowedNetworks = ["10.0.0.0/8", "10.0.0.0/33", "intranet ris"] });
        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains("'10.0.0.0/33'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'intranet ris'", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new OParlImportOptionsValidator().Validate(null, new OParlImportOptions()).Succeeded);
    }

    [Fact]
    public async Task TheHandler_RefusesBeforeConnecting_ResolvingNamesItself()
    {
        using var http = new HttpClient(new ImportAddressGuard(new OParlImportOptions()).CreateHandler());

        // The refusal is the connect callback's own exception: it is thrown before a socket is opened, so no packet leaves.
        foreach (var url in new[] { "http://169.254.169.254/latest/meta-data/", "http://10.255.255.1/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]:1/", "http://localhost:1/" })
        {
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(url, TestContext.Current.CancellationToken));
            var refused = Assert.IsType<ImportAddressRefusedException>(failure.InnerException);
            Assert.Contains("is in a private network", refused.Message, StringComparison.Ordinal);
        }
    }
}
