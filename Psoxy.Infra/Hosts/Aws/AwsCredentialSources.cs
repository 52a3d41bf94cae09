using System.Globalization;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// Resolves the credentials for the program's own AWS calls from the sources the Pulumi AWS provider accepts, using
/// the AWS SDK for .NET, in the provider's order (aws-sdk-go-base): <c>aws:assumeRoleWithWebIdentity</c> (STS
/// <c>AssumeRoleWithWebIdentity</c>, which needs no credentials); else static <c>aws:accessKey</c>/<c>aws:secretKey</c>/<c>aws:token</c>; else the profile in
/// <c>aws:profile</c>; else the SDK's default chain (<c>AWS_ACCESS_KEY_ID</c>..., <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> +
/// <c>AWS_ROLE_ARN</c>, <c>AWS_PROFILE</c> or <c>default</c>, container and instance metadata). Profiles may use
/// IAM Identity Center (<c>sso_session</c> or the legacy <c>sso_*</c> keys, with the token <c>aws sso login</c>
/// cached), <c>role_arn</c> with <c>source_profile</c> or <c>credential_source</c>, or <c>credential_process</c>.
/// Then each role of <c>aws:assumeRoles</c> is assumed in order. STS and SSO calls honour <c>AWS_ENDPOINT_URL_STS</c>,
/// <c>AWS_ENDPOINT_URL_SSO</c> and <c>AWS_ENDPOINT_URL</c> as the SDK does.
/// </summary>
internal static class AwsCredentialSources
{
    /// <summary>Resolves the base credentials and wraps them in the configured role chain; nothing is called yet.</summary>
    /// <exception cref="CognitoIdentityException">No usable source.</exception>
    public static async Task<AWSCredentials> ResolveAsync(AwsConnectionSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var credentials = await ResolveBaseAsync(settings, ct).ConfigureAwait(false);
        foreach (var role in settings.AssumeRoles)
        {
            credentials = new AssumedRoleCredentials(credentials, role, settings.Region);
        }

        return credentials;
    }

    /// <summary>Names the source for error messages (never a secret).</summary>
    public static string Describe(AwsConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var source = settings.WebIdentity is { } web ? $"web identity for {web.RoleArn} (aws:assumeRoleWithWebIdentity)"
            : settings.HasStaticCredentials ? "static credentials (aws:accessKey)"
            : !string.IsNullOrWhiteSpace(settings.Profile) ? $"profile '{settings.Profile}' (aws:profile)"
            : "the AWS SDK's default credential chain";
        return settings.AssumeRoles.IsEmpty
            ? source
            : $"{source}, then assuming {string.Join(" -> ", settings.AssumeRoles.Select(r => r.RoleArn))}";
    }

    /// <summary>Temporary credentials STS issued, until they expire (15 minutes, STS's shortest, when it says nothing).</summary>
    private static RefreshingAWSCredentials.CredentialsRefreshState RefreshStateOf(Credentials issued) => new(
        new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken),
        issued.Expiration ?? DateTime.UtcNow.AddMinutes(15));

    private static async Task<AWSCredentials> ResolveBaseAsync(AwsConnectionSettings settings, CancellationToken ct)
    {
        if (settings.WebIdentity is { } webIdentity)
        {
            // The provider's first source when set: the token alone yields the base credentials.
            return new WebIdentityCredentials(webIdentity, settings.Region);
        }

        if (settings.HasStaticCredentials)
        {
            if (string.IsNullOrEmpty(settings.AccessKey) || string.IsNullOrEmpty(settings.SecretKey))
            {
                throw new CognitoIdentityException("Static AWS credentials need both an access key and a secret key (aws:accessKey and aws:secretKey).");
            }

            return string.IsNullOrEmpty(settings.SessionToken)
                ? new BasicAWSCredentials(settings.AccessKey, settings.SecretKey)
                : new SessionAWSCredentials(settings.AccessKey, settings.SecretKey, settings.SessionToken);
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(settings.Profile))
            {
                return FromProfile(settings.Profile, "aws:profile");
            }

            // The SDK's default order, with the profile step read from the files in force now (see ProfileStore).
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")))
            {
                return new EnvironmentVariablesAWSCredentials();
            }

            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE")))
            {
                return AssumeRoleWithWebIdentityCredentials.FromEnvironmentVariables();
            }

            var profile = Environment.GetEnvironmentVariable("AWS_PROFILE");
            if (!string.IsNullOrWhiteSpace(profile))
            {
                return FromProfile(profile, "AWS_PROFILE");
            }

            if (ProfileStore().TryGetAWSCredentials(SharedCredentialsFile.DefaultProfileName, out var defaultProfile))
            {
                return defaultProfile;
            }

            // Container and instance metadata (a fresh resolver: the SDK's shared one caches for the process).
            using var resolver = new DefaultAWSCredentialsIdentityResolver();
            return await resolver.ResolveIdentityAsync(null, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CognitoIdentityException)
        {
            throw new CognitoIdentityException($"Could not resolve AWS credentials ({Describe(settings)}): {e.Message}", e);
        }
    }

    private static AWSCredentials FromProfile(string name, string setBy)
    {
        if (!ProfileStore().TryGetAWSCredentials(name, out var credentials))
        {
            throw new CognitoIdentityException(
                $"AWS profile '{name}' ({setBy}) was not found in the shared AWS config/credentials files, or has no usable credentials.");
        }

        return credentials;
    }

    /// <summary>
    /// The shared config and credentials files as the environment names them now. The SDK fixes its default
    /// paths when it first reads them; naming the credentials file here keeps a later change of
    /// <c>AWS_SHARED_CREDENTIALS_FILE</c> or <c>HOME</c> in force (the config file is <c>AWS_CONFIG_FILE</c>,
    /// else the <c>config</c> file beside the credentials file).
    /// </summary>
    private static CredentialProfileStoreChain ProfileStore()
    {
        var credentialsFile = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE");
        if (string.IsNullOrWhiteSpace(credentialsFile))
        {
            var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            credentialsFile = Path.Combine(home, ".aws", "credentials");
        }

        return new CredentialProfileStoreChain(credentialsFile);
    }

    /// <summary>
    /// <c>aws:assumeRoleWithWebIdentity</c>: STS <c>AssumeRoleWithWebIdentity</c>, an unsigned call (the token is the
    /// credential), against the configured region's STS endpoint (or <c>AWS_ENDPOINT_URL_STS</c>); the token file is
    /// read again at each refresh, as tokens there are rotated. The token is never part of an error.
    /// </summary>
    private sealed class WebIdentityCredentials : RefreshingAWSCredentials
    {
        private readonly AwsWebIdentity _identity;
        private readonly string _region;

        public WebIdentityCredentials(AwsWebIdentity identity, string region)
        {
            _identity = identity;
            _region = region;
            PreemptExpiryTime = TimeSpan.FromMinutes(5);
        }

        protected override CredentialsRefreshState GenerateNewCredentials() =>
            GenerateNewCredentialsAsync().GetAwaiter().GetResult();

        protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
        {
            string token;
            try
            {
                token = _identity.ReadToken();
            }
            catch (IOException e)
            {
                throw new CognitoIdentityException($"Could not read the web identity token file '{_identity.WebIdentityTokenFile}' (aws:assumeRoleWithWebIdentity.webIdentityTokenFile): {e.Message}", e);
            }

            using var sts = new AmazonSecurityTokenServiceClient(
                new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(_region) });
            var request = new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = _identity.RoleArn,
                RoleSessionName = _identity.SessionName
                    ?? "psoxy-infra-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                WebIdentityToken = token,
                DurationSeconds = _identity.Duration is { } d ? (int)d.TotalSeconds : null,
                Policy = _identity.Policy,
            };
            if (!_identity.PolicyArns.IsEmpty)
            {
                request.PolicyArns = [.. _identity.PolicyArns.Select(arn => new PolicyDescriptorType { Arn = arn })];
            }

            AssumeRoleWithWebIdentityResponse response;
            try
            {
                response = await sts.AssumeRoleWithWebIdentityAsync(request).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                throw new CognitoIdentityException($"Could not assume role '{_identity.RoleArn}' with a web identity (aws:assumeRoleWithWebIdentity): {e.ErrorCode}: {e.Message}", e);
            }

            return RefreshStateOf(response.Credentials);
        }
    }

    /// <summary>
    /// One <c>aws:assumeRoles</c> entry: STS <c>AssumeRole</c> with the previous credentials, against the
    /// configured region's STS endpoint (or <c>AWS_ENDPOINT_URL_STS</c>), refreshed before it expires.
    /// </summary>
    private sealed class AssumedRoleCredentials : RefreshingAWSCredentials
    {
        private readonly AWSCredentials _source;
        private readonly AwsAssumeRole _role;
        private readonly string _region;

        public AssumedRoleCredentials(AWSCredentials source, AwsAssumeRole role, string region)
        {
            _source = source;
            _role = role;
            _region = region;
            PreemptExpiryTime = TimeSpan.FromMinutes(5);
        }

        protected override CredentialsRefreshState GenerateNewCredentials() =>
            GenerateNewCredentialsAsync().GetAwaiter().GetResult();

        protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
        {
            using var sts = new AmazonSecurityTokenServiceClient(
                _source, new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(_region) });
            var request = new AssumeRoleRequest
            {
                RoleArn = _role.RoleArn,
                RoleSessionName = _role.SessionName
                    ?? "psoxy-infra-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ExternalId = _role.ExternalId,
                DurationSeconds = _role.Duration is { } d ? (int)d.TotalSeconds : null,
                Policy = _role.Policy,
                SourceIdentity = _role.SourceIdentity,
            };
            if (!_role.PolicyArns.IsEmpty)
            {
                request.PolicyArns = [.. _role.PolicyArns.Select(arn => new PolicyDescriptorType { Arn = arn })];
            }

            if (!_role.Tags.IsEmpty)
            {
                request.Tags = [.. _role.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })];
            }

            if (!_role.TransitiveTagKeys.IsEmpty)
            {
                request.TransitiveTagKeys = [.. _role.TransitiveTagKeys];
            }

            AssumeRoleResponse response;
            try
            {
                response = await sts.AssumeRoleAsync(request).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                throw new CognitoIdentityException($"Could not assume role '{_role.RoleArn}' (aws:assumeRoles): {e.ErrorCode}: {e.Message}", e);
            }

            return RefreshStateOf(response.Credentials);
        }
    }
}
