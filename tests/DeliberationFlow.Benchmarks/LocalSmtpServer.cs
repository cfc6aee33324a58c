using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace DeliberationFlow.Benchmarks;

/// <summary>
/// An SMTP server in this process (the SmtpServer package) that counts what it accepts. Its sockets are set to
/// TCP_NODELAY: with Nagle's algorithm every message would wait for a delayed ACK (about 45 ms), which measures the
/// operating system's timers, not the service.
/// </summary>
public sealed class LocalSmtpServer : IDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly CountingStore _store = new();
    private readonly Task _running;

    public LocalSmtpServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(new NoDelayListenerFactory());
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public int Received => _store.Count;

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled on purpose.
        }

        _stop.Dispose();
    }

    private sealed class CountingStore : MessageStore
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class NoDelayListenerFactory : IEndpointListenerFactory
    {
        public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var tcp = new TcpListener(endpointDefinition.Endpoint);
            tcp.Start();
            return new Listener(tcp);
        }

        private sealed class Listener(TcpListener tcp) : IEndpointListener
        {
            // The pipe type has no public constructor; the package's own listener creates it the same way.
            private static readonly Type PipeType = typeof(SmtpServer.IO.ISecurableDuplexPipe).Assembly.GetType("SmtpServer.IO.SecurableDuplexPipe")!;

            public async Task<SmtpServer.IO.ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
            {
                var client = await tcp.AcceptTcpClientAsync(cancellationToken);
                client.NoDelay = true;
                return (SmtpServer.IO.ISecurableDuplexPipe)Activator.CreateInstance(PipeType, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public,
                    null, [client.GetStream(), (Action)client.Dispose], null)!;
            }

            public void Dispose() => tcp.Stop();
        }
    }
}
