using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Verification;

/// <summary>Chooses how to authenticate to the proxies of a deployment.</summary>
internal interface IAuthenticatorFactory
{
    IRequestAuthenticator Create(DeploymentOutputs outputs, VerifyOptions options);
}

/// <summary>
/// As Worklytics calls: on AWS, SigV4 with the default credential chain (or the caller role); on GCP, a Google ID
/// token from application default credentials (or the one given).
/// </summary>
internal sealed class CloudAuthenticatorFactory : IAuthenticatorFactory
{
    public IRequestAuthenticator Create(DeploymentOutputs outputs, VerifyOptions options) => outputs.Host switch
    {
        HostPlatform.Aws => new AwsSigV4Authenticator(
            new AwsSdkCredentialSource(outputs.AwsRegion!, options.AssumeCallerRole ? outputs.CallerRoleArn : null),
            outputs.AwsRegion!),
        _ => new GoogleIdTokenAuthenticator(
            options.IdentityToken is { } token ? new FixedIdTokenSource(token) : new GoogleApplicationDefaultIdTokenSource()),
    };
}
