using Psoxy.Infra.Configuration;
using Pulumi;
using Pulumi.Aws.Ssm;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// SSM Parameter Store as Psoxy's secret store on AWS: each value a SecureString parameter, encrypted with the
/// configured KMS key (else AWS's key for SSM). Values only ever travel as secrets.
/// </summary>
internal sealed class AwsParameterStore(AwsHostSettings settings) : IProxySecretStore<Parameter>
{
    private readonly Dictionary<string, Output<string>> _stored = new(StringComparer.Ordinal);

    /// <summary>The values stored, by parameter name, to check they only ever travel as secrets.</summary>
    public IReadOnlyDictionary<string, Output<string>> Stored => _stored;

    public Parameter Store(Resource owner, string ownerName, string prefix, ProxyConfigValue value)
    {
        // Keep has no SSM counterpart (a SecureString cannot be disabled); earlier values stay in the parameter's history.
        var name = prefix + value.Name;
        var secret = Output.CreateSecret(value.Value);
        _stored[name] = secret;
        return new Parameter($"{ownerName}-{value.ResourceSuffix}", new ParameterArgs
        {
            Name = name,
            Type = "SecureString",
            Value = secret,
            KeyId = AwsHost.Optional(settings.KmsKeyArn),
            Description = value.Purpose,
            Region = AwsHost.Optional(settings.Region),
        }, new CustomResourceOptions { Parent = owner });
    }
}
