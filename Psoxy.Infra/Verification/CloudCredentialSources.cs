using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Google.Apis.Auth.OAuth2;

namespace Psoxy.Infra.Verification;

/// <summary>
/// The AWS SDK's default credential chain (environment, profiles, SSO, container and instance metadata), optionally
/// exchanged for the caller role's credentials first, so requests are made as Worklytics makes them.
/// </summary>
internal sealed class AwsSdkCredentialSource : IAwsCredentialSource
{
    private const string SessionName = "psoxy-infra-verify";
    private readonly string _region;
    private readonly string? _roleToAssume;

    // Assumed once and shared by every request (the credentials last an hour, far longer than a run).
    private readonly Lazy<Task<ImmutableCredentials>>? _assumed;

    public AwsSdkCredentialSource(string region, string? roleToAssume)
    {
        _region = region;
        _roleToAssume = roleToAssume;
        _assumed = roleToAssume is null ? null : new(() => AssumeRoleAsync(roleToAssume));
    }

    public async Task<ImmutableCredentials> GetCredentialsAsync(CancellationToken ct) => _assumed is null
        ? await (await OwnCredentialsAsync().ConfigureAwait(false)).GetCredentialsAsync().ConfigureAwait(false)
        : await _assumed.Value.WaitAsync(ct).ConfigureAwait(false);

    public async Task<string> DescribeAsync(CancellationToken ct)
    {
        if (_roleToAssume is not null)
        {
            return $"role {_roleToAssume} (assumed with --assume-caller-role)";
        }

        // Best effort: the ARN makes the next step concrete, but the diagnosis stands without it.
        try
        {
            using var sts = new AmazonSecurityTokenServiceClient(await OwnCredentialsAsync().ConfigureAwait(false), RegionEndpoint.GetBySystemName(_region));
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct).ConfigureAwait(false);
            return identity.Arn;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or CallerCredentialsException)
        {
            return "the identity of your AWS credentials (STS GetCallerIdentity failed)";
        }
    }

    private static async Task<AWSCredentials> OwnCredentialsAsync()
    {
        try
        {
            return await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            // The SDK's message lists every source it tried, one error each: one sentence says what to do.
            throw new CallerCredentialsException(
                "no AWS credentials: none in the environment (AWS_ACCESS_KEY_ID...), the default or AWS_PROFILE profile, SSO, or container or instance metadata; "
                + "sign in (`aws sso login --profile NAME`, then AWS_PROFILE=NAME) or set AWS_PROFILE to a profile with credentials, and run again.", e);
        }
    }

    // No answer at all (no route, refused, timed out, name not resolved), as opposed to an answer that says no.
    private static bool Unreachable(Exception e) =>
        e is HttpRequestException or System.Net.Sockets.SocketException or TaskCanceledException
        || (e is AmazonServiceException { StatusCode: 0 } or AmazonClientException && e.InnerException is { } inner && Unreachable(inner));

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private async Task<ImmutableCredentials> AssumeRoleAsync(string roleArn)
    {
        var own = await OwnCredentialsAsync().ConfigureAwait(false);
        try
        {
            using var sts = new AmazonSecurityTokenServiceClient(own, RegionEndpoint.GetBySystemName(_region));
            var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = SessionName }).ConfigureAwait(false);
            var c = response.Credentials;
            return new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
        }
        catch (AmazonServiceException e) when (e.StatusCode is System.Net.HttpStatusCode.Forbidden || e.ErrorCode is "AccessDenied")
        {
            throw new CallerCredentialsException(
                $"could not assume the caller role {roleArn}: {e.Message} Your identity must be allowed to assume it: add its ARN to psoxy:aws.callerAwsArns and run `pulumi up`.", e);
        }
        catch (Exception e) when (Unreachable(e))
        {
            throw new CallerCredentialsException(
                $"could not reach AWS STS ({_region}) to assume the caller role {roleArn}: {Innermost(e).Message} Check the network (a proxy, a firewall, AWS_ENDPOINT_URL_STS) and run again.", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new CallerCredentialsException($"could not assume the caller role {roleArn}: {e.Message}", e);
        }
    }
}

/// <summary>
/// ID tokens from Google application default credentials (a service account key, an impersonated service account,
/// or the metadata server). User credentials from <c>gcloud auth application-default login</c> cannot mint ID
/// tokens for an audience; the error says to pass <c>--identity-token</c> then.
/// </summary>
internal sealed class GoogleApplicationDefaultIdTokenSource : IIdTokenSource
{
    public async Task<string> GetIdTokenAsync(string audience, CancellationToken ct)
    {
        try
        {
            var credential = await GoogleCredential.GetApplicationDefaultAsync(ct).ConfigureAwait(false);
            var token = await credential.GetOidcTokenAsync(OidcTokenOptions.FromTargetAudience(audience), ct).ConfigureAwait(false);
            return await token.GetAccessTokenAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or IOException or HttpRequestException or Google.GoogleApiException or Google.Apis.Auth.OAuth2.Responses.TokenResponseException)
        {
            throw new CallerCredentialsException(
                $"no Google ID token for {audience} from application default credentials ({e.Message}); "
                + $"pass one with --identity-token \"$(gcloud auth print-identity-token --audiences={audience})\".", e);
        }
    }
}
