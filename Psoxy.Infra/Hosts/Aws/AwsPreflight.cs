using Psoxy.Infra.Configuration;
using Pulumi;
using Pulumi.Aws;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>The AWS account the credentials belong to, as STS reports it.</summary>
/// <param name="AccountId">The 12-digit account id.</param>
/// <param name="Partition">The partition (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>...), for building ARNs.</param>
internal sealed record AwsAccount(string AccountId, string Partition);

/// <summary>Checks made before any resource is declared, so a wrong AWS account is never touched.</summary>
internal static class AwsPreflight
{
    /// <summary>
    /// Asks STS (through the AWS provider, so with its credentials) which account the deployment would change and
    /// throws a <see cref="RunException"/> unless it is <c>psoxy:aws.accountId</c>.
    /// </summary>
    public static async Task<AwsAccount> VerifyAsync(AwsHostSettings settings)
    {
        GetCallerIdentityResult identity;
        try
        {
            identity = await GetCallerIdentity.InvokeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RunException)
        {
            throw new RunException(
                $"Could not check that the AWS credentials are for account {settings.AccountId} (psoxy:aws.accountId): {e.Message}; nothing was created.");
        }

        if (string.IsNullOrEmpty(identity.AccountId))
        {
            throw new RunException(
                $"Could not check that the AWS credentials are for account {settings.AccountId} (psoxy:aws.accountId): the AWS provider reported no account; nothing was created.");
        }

        if (!string.Equals(identity.AccountId, settings.AccountId, StringComparison.Ordinal))
        {
            throw new RunException(
                $"psoxy:aws.accountId is '{settings.AccountId}' but the AWS credentials are for account '{identity.AccountId}' ({identity.Arn}); nothing was created. Use credentials for account {settings.AccountId}, or correct psoxy:aws.accountId.");
        }

        return new AwsAccount(identity.AccountId, PartitionOf(identity.Arn));
    }

    /// <summary>The partition in a caller ARN (<c>arn:&lt;partition&gt;:sts::...</c>); <c>aws</c> when it has none.</summary>
    internal static string PartitionOf(string? arn)
    {
        var parts = (arn ?? string.Empty).Split(':');
        return parts.Length > 2 && parts[0] == "arn" && parts[1].Length > 0 ? parts[1] : "aws";
    }
}
