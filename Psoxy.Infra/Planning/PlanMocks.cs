using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace Psoxy.Infra.Planning;

/// <summary>
/// The mocks an offline plan runs the program against: every resource is "to be created", so what a cloud
/// computes (ids, client ids, ARNs...) stays unknown, and no data source is read from any cloud.
/// </summary>
internal sealed class PlanMocks : IMocks
{
    /// <summary>Pulumi's wire marker for a value that is not known yet.</summary>
    private const string Unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    public ConcurrentQueue<MockResourceArgs> Registered { get; } = new();

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Registered.Enqueue(args);

        // The inputs come back as the resource's outputs; everything else the provider would compute is unknown.
        return Task.FromResult<(string?, object)>((null, args.Inputs));
    }

    public Task<object> CallAsync(MockCallArgs args) =>
        // Data sources (the deploying principal, directory users, the Graph service principal...) need
        // credentials; offline their results are unknown.
        Task.FromResult<object>(ImmutableDictionary<string, object>.Empty
            .Add("id", Unknown)
            .Add("objectId", Unknown)
            .Add("objectIds", Unknown)
            .Add("clientId", Unknown)
            .Add("tenantId", Unknown)
            .Add("appRoleIds", Unknown)
            .Add("accountId", Unknown)
            .Add("arn", Unknown)
            .Add("region", Unknown)
            .Add("partition", Unknown)
            .Add("number", Unknown)
            .Add("projectId", Unknown)
            .Add("json", Unknown));
}
