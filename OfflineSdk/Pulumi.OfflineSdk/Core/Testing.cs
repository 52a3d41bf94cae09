using System.Collections.Immutable;

namespace Pulumi.Testing;

/// <summary>Answers the engine's calls in unit tests: resource registrations and invokes.</summary>
public interface IMocks
{
    Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args);

    Task<object> CallAsync(MockCallArgs args);

    Task RegisterResourceOutputs(MockRegisterResourceOutputsRequest args) => Task.CompletedTask;
}

/// <summary>A resource registration as a mock sees it.</summary>
public class MockResourceArgs
{
    public string? Type { get; set; }

    public string? Name { get; set; }

    public ImmutableDictionary<string, object> Inputs { get; set; } = ImmutableDictionary<string, object>.Empty;

    public string? Provider { get; set; }

    public string? Id { get; set; }
}

/// <summary>An invoke as a mock sees it.</summary>
public class MockCallArgs
{
    public string? Token { get; set; }

    public ImmutableDictionary<string, object> Args { get; set; } = ImmutableDictionary<string, object>.Empty;

    public string? Provider { get; set; }
}

/// <summary>The outputs a component or the stack registered.</summary>
public class MockRegisterResourceOutputsRequest
{
    public readonly string Urn;

    public readonly ImmutableDictionary<string, Output<object?>> Outputs;

    public MockRegisterResourceOutputsRequest(string urn, ImmutableDictionary<string, Output<object?>> outputs)
    {
        Urn = urn;
        Outputs = outputs;
    }
}

/// <summary>Settings of a test run.</summary>
public class TestOptions
{
    public string? ProjectName { get; set; }

    public string? StackName { get; set; }

    public bool? IsPreview { get; set; }

    public string? OrganizationName { get; set; }

    public string? RootDirectory { get; set; }
}

/// <summary>Mocks that echo each resource's inputs back as its state (with no ID) and return the call arguments object from invokes.</summary>
public class EmptyMocks : IMocks
{
    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
        => Task.FromResult<(string? id, object state)>((null, args.Inputs));

    public Task<object> CallAsync(MockCallArgs args)
        => Task.FromResult<object>(args);
}
