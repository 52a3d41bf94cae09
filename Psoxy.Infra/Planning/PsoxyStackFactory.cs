using Pulumi;

namespace Psoxy.Infra.Planning;

/// <summary>
/// Hands Pulumi a <see cref="PsoxyStack"/> built with given stack options, through the SDK's own dependency
/// injection (<c>Deployment.TestWithServiceProviderAsync</c>, <c>Deployment.RunAsync(IServiceProvider)</c>): how the
/// plan and the tests observe every resource without any static state in the program.
/// </summary>
internal sealed class PsoxyStackFactory(StackOptions options, StackServices? services = null) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(PsoxyStack) ? new PsoxyStack(options, services ?? StackServices.Default) : null;
}
