namespace DeliberationFlow.Tests.Infrastructure;

/// <summary>
/// Tests that start the whole service run one after another: each host runs a Hangfire server and a
/// connection pool, and on two cores parallel hosts only slow each other down.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostCollection
{
    public const string Name = "service host";
}
