using Psoxy.Infra.Hosts.Aws;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>Points the program's Cognito calls at a test endpoint (the AWS SDKs' service endpoint override) until disposed.</summary>
internal sealed class CognitoEndpointOverride : IDisposable
{
    private const string Variable = CognitoDeveloperIdentityClient.ServiceEndpointVariable;
    private readonly string? _previous = Environment.GetEnvironmentVariable(Variable);

    public CognitoEndpointOverride(Uri endpoint) => Environment.SetEnvironmentVariable(Variable, endpoint.ToString());

    public void Dispose() => Environment.SetEnvironmentVariable(Variable, _previous);
}
