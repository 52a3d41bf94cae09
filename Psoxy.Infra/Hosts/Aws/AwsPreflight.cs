using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>Checks made before any resource is declared, so a wrong AWS account is never touched.</summary>
internal static class AwsPreflight
{
    /// <summary>Throws a <see cref="Pulumi.RunException"/> naming the problem when the deployment must not proceed.</summary>
    public static void Verify(AwsHostSettings settings)
    {
        // TODO(#4): the AWS credentials must be for settings.AccountId.
        _ = settings;
    }
}
