using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using netDumbster.smtp;

namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>A real SMTP server in the test process; MailKit delivers to it over TCP.</summary>
public sealed partial class TestSmtpServer : IDisposable
{
    /// <summary>
    /// Ports of the servers alive in this process. A port the kernel hands out for port 0 is free again once that
    /// probe socket closes, and another test starting at the same moment may be handed the same one; netDumbster
    /// then fails to bind on its background task without a word, and the second test's mail went to the first
    /// test's server (seen as invitations that never came).
    /// </summary>
    private static readonly HashSet<int> PortsInUse = [];

    private readonly SimpleSmtpServer _server;

    public TestSmtpServer()
        : this(FreePort())
    {
    }

    /// <summary>A server on a given port, e.g. to bring the SMTP server back after an outage.</summary>
    public TestSmtpServer(int port)
    {
        Port = port;
        lock (PortsInUse)
        {
            PortsInUse.Add(port);
        }

        _server = SimpleSmtpServer.Start(Port);
        WaitUntilListening();
    }

    public int Port { get; }

    /// <summary>What the service's side says about delivery (outbox rows, jobs); written to the test output when a wait falls short.</summary>
    public Func<Task<string>>? DescribeDelivery { get; set; }

    /// <summary>
    /// netDumbster binds its listener on a background task; a test that brings the server back and at once lets the
    /// service deliver would otherwise see its first connections refused (and the messages correctly put off by the
    /// back-off), which is not the outage it means to test.
    /// </summary>
    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                using var reader = new StreamReader(probe.GetStream(), Encoding.ASCII);
                if (reader.ReadLine()?.StartsWith("220", StringComparison.Ordinal) == true)
                {
                    return;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"The test SMTP server on port {Port} does not greet within 10 s.");
            }

            Thread.Sleep(20);
        }
    }

    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            // netDumbster's list is not safe to read while a message arrives; read again until a snapshot succeeds.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return _server.ReceivedEmail.ToList().Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Unstuff(m.Data))))).ToList();
                }
                catch (Exception ex) when (attempt < 20 && ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException)
                {
                    Thread.Sleep(10);
                }
            }
        }
    }

    /// <summary>
    /// The message data as its sender wrote it. SMTP sends a line that begins with "." with a second dot before it
    /// (dot-stuffing, RFC 5321 §4.5.2), and the receiver is to take the first dot off again; netDumbster keeps it, so a
    /// line ".5 Mio." came out as "..5 Mio.", and a quoted-printable soft break before ".2021" as "18.05..2021".
    /// </summary>
    internal static string Unstuff(string data) => StuffedDot().Replace(data, "");

    [GeneratedRegex(@"^\.", RegexOptions.Multiline)]
    private static partial Regex StuffedDot();

    /// <summary>Waits (on real mail arriving, not on time passing in the service) until the predicate's messages have come.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(Func<MimeMessage, bool> predicate, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var matching = Messages.Where(predicate).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (DateTime.UtcNow > deadline)
            {
                // Short of what the caller waits for: say where the missing mail stands, so a failure can be told
                // apart from a slow machine (and a message lost on the way from one never sent).
                var state = DescribeDelivery is null ? "" : await DescribeDelivery();
                TestContext.Current.TestOutputHelper?.WriteLine(
                    $"Waited until {DateTime.UtcNow:HH:mm:ss.fff} UTC for {count} message(s), {matching.Count} came; {Messages.Count} received in all " +
                    $"({string.Join("; ", Messages.Select(m => m.Subject))}). {state}");
                return matching;
            }

            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        lock (PortsInUse)
        {
            PortsInUse.Remove(Port);
        }
    }

    /// <summary>A free port that no other test server of this process holds or is about to take.</summary>
    private static int FreePort()
    {
        while (true)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }

            lock (PortsInUse)
            {
                if (PortsInUse.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
