using Psoxy.Infra.Hosts;
using Psoxy.Infra.Tests.Hosts.Aws;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Hosts;

/// <summary>
/// The salt fingerprint against Psoxy v0.6.9's algorithm (HealthCheckRequestHandler.piiSaltHash:
/// HashUtils.hash(salt, ProxyConstants.SALT_FOR_SALT)). The vectors were computed independently of this code by
/// that algorithm: SHA-256 of UTF-8 (salt + "f33c366c-ae91-4819-b221-f9794ebb8145"), unpadded base64, '/' to '_'
/// and '+' to '.'.
/// </summary>
public sealed class PsoxySaltHashTests
{
    [Theory]
    [InlineData("salt", "pRwka918R7CEI6El1noIhIMJzqBGYUvvqXYHyMvxl2Y")]
    // Plain base64 of this digest is "oEAwjHqTnZMLOY+n6cARYkOcF0V3ekb+9/BuPKUtaIk=": padding and both replacements show.
    [InlineData("salt-1", "oEAwjHqTnZMLOY.n6cARYkOcF0V3ekb.9_BuPKUtaIk")]
    // Non-ASCII salts are hashed as UTF-8, as commons-codec's DigestUtils.sha256(String) does.
    [InlineData("Tr0ub4dor&3-ü/+salt", "az96rk0ezMS9Bdml7VajSNl4LkCiJ4IXjtM1pbVAfxI")]
    public void Compute_MatchesPsoxysHealthCheck(string salt, string expected)
    {
        Assert.Equal("f33c366c-ae91-4819-b221-f9794ebb8145", PsoxySaltHash.SaltForSalt);
        Assert.Equal(expected, PsoxySaltHash.Compute(salt));
    }

    [Fact]
    public async Task Stack_ExportsTheFingerprintOfItsSalt_NotSecret_AndNeverTheSalt()
    {
        var run = await AwsTestRun.RunAsync(AwsTestRun.Config("outlook-cal"));

        var hash = await run.Stack.SaltSha256Hash.ValueAsync();
        Assert.Equal(PsoxySaltHash.Compute(AwsTestRun.Salt), hash);
        Assert.DoesNotContain(AwsTestRun.Salt, hash, StringComparison.Ordinal);
        // Psoxy publishes it in every health check; secret, it could not be compared without --show-secrets.
        Assert.False(await Output.IsSecretAsync(run.Stack.SaltSha256Hash));
    }
}

/// <summary>verify's list of the environment variables Psoxy.Infra manages, against what both hosts really set.</summary>
public sealed class ManagedEnvironmentTests
{
    [Fact]
    public async Task EveryVariableTheHostsSet_IsKnownToVerifyAsManaged()
    {
        var aws = await AwsTestRun.RunAsync(AwsTestRun.Config("outlook-cal"));
        var awsVariables = AwsTestRun.EnvironmentOf(aws.Inputs(AwsTestRun.FunctionType, "outlook-cal-function")).Keys;
        var gcp = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"));
        var service = (System.Collections.Immutable.ImmutableDictionary<string, object>)gcp.Inputs("gcp:cloudfunctionsv2/function:Function", "outlook-cal-function")["serviceConfig"];
        var gcpVariables = ((System.Collections.Immutable.ImmutableDictionary<string, object>)service["environmentVariables"]).Keys;

        Assert.Contains("IDENTITY_POOL_ID", awsVariables);
        Assert.Contains("AUDIENCE", gcpVariables);
        Assert.All(awsVariables.Concat(gcpVariables), name => Assert.Contains(name, Psoxy.Infra.Verification.Diagnosis.EnvironmentProperties));
    }
}
