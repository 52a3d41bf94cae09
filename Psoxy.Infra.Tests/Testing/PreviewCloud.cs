using System.Collections.Concurrent;
using Pulumi.Testing;

namespace Psoxy.Infra.Tests.Testing;

/// <summary>A preview against <see cref="FakeCloud"/>: providers compute nothing (inputs come back, no ids), invokes still answer.</summary>
internal sealed class PreviewCloud : IMocks
{
    public FakeCloud Cloud { get; init; } = new();

    public ConcurrentQueue<MockResourceArgs> Registered { get; } = new();

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Registered.Enqueue(args);
        return Task.FromResult<(string?, object)>((null, args.Inputs));
    }

    public Task<object> CallAsync(MockCallArgs args) => Cloud.CallAsync(args);
}
