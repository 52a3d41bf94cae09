using System.Collections.Immutable;
using Psoxy.Infra.Configuration;
using Pulumi;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>
/// How the program reaches AWS for the calls it makes itself (outside the Pulumi AWS provider), read from the same
/// <c>aws:*</c> configuration the provider reads. Base credentials, first found: <see cref="WebIdentity"/>;
/// <see cref="AccessKey"/>/
/// <see cref="SecretKey"/> (with optional <see cref="SessionToken"/>); the named <see cref="Profile"/>; the AWS SDK's
/// default chain (environment variables, web identity token file, <c>AWS_PROFILE</c> or the default profile,
/// container and instance metadata). Profiles may use SSO, <c>role_arn</c> with <c>source_profile</c> or
/// <c>credential_source</c>, or <c>credential_process</c>. Each of <see cref="AssumeRoles"/> is then assumed in
/// order on top of them. See <see cref="AwsCredentialSources"/>.
/// </summary>
/// <param name="Region">AWS region of the Cognito identity pool, e.g. <c>us-east-1</c>.</param>
internal sealed record AwsConnectionSettings(string Region)
{
    /// <summary>Static access key id; must come with <see cref="SecretKey"/>.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Static secret access key; must come with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Session token for temporary static credentials.</summary>
    public string? SessionToken { get; init; }

    /// <summary>Named profile in the shared AWS config/credentials files.</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// <c>aws:assumeRoleWithWebIdentity</c>: when set, its credentials are the base credentials (nothing else is
    /// looked up), as in the provider.
    /// </summary>
    public AwsWebIdentity? WebIdentity { get; init; }

    /// <summary>Roles assumed one after the other on top of the base credentials (<c>aws:assumeRoles</c>).</summary>
    public ImmutableArray<AwsAssumeRole> AssumeRoles { get; init; } = [];

    /// <summary>
    /// Explicit Cognito Identity endpoint. When null: <c>AWS_ENDPOINT_URL_COGNITO_IDENTITY</c>, then
    /// <c>AWS_ENDPOINT_URL</c>, then the region's public endpoint.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>True when static credentials are configured (either half counts, so a missing half is reported).</summary>
    public bool HasStaticCredentials =>
        !string.IsNullOrEmpty(AccessKey) || !string.IsNullOrEmpty(SecretKey);

    /// <summary>
    /// Reads the provider's configuration (<c>aws:region</c>, <c>aws:accessKey</c>, <c>aws:secretKey</c>,
    /// <c>aws:token</c>, <c>aws:profile</c>, <c>aws:assumeRoleWithWebIdentity</c>, <c>aws:assumeRoles</c>).
    /// </summary>
    /// <param name="aws">The <c>aws</c> configuration namespace.</param>
    /// <param name="configuredRegion"><c>psoxy:aws.region</c>, which wins over <c>aws:region</c>.</param>
    /// <exception cref="RunException">No region, or a value the provider would not accept.</exception>
    public static AwsConnectionSettings FromProviderConfig(Pulumi.Config aws, string? configuredRegion)
    {
        ArgumentNullException.ThrowIfNull(aws);
        return FromValues(aws.Get, configuredRegion, Environment.GetEnvironmentVariable);
    }

    /// <summary><see cref="FromProviderConfig"/> over plain lookups: <paramref name="config"/> takes keys without the <c>aws:</c> prefix.</summary>
    internal static AwsConnectionSettings FromValues(
        Func<string, string?> config, string? configuredRegion, Func<string, string?> environment)
    {
        var region = NonEmpty(configuredRegion)
            ?? NonEmpty(config("region"))
            ?? NonEmpty(environment("AWS_REGION"))
            ?? NonEmpty(environment("AWS_DEFAULT_REGION"))
            ?? throw new RunException(
                "No AWS region: set psoxy:aws.region or aws:region in the stack configuration (pulumi config set aws:region us-east-1).");

        // The stack's configuration check reports these with every other problem; this guards other callers.
        var problems = new List<ConfigProblem>();
        var (roles, webIdentity) = ProviderConfig.ReadAwsCredentials(config, problems);
        if (problems.Count > 0)
        {
            throw new RunException(InvalidConfigurationException.Describe(problems));
        }

        return new AwsConnectionSettings(region)
        {
            AccessKey = NonEmpty(config("accessKey")),
            SecretKey = NonEmpty(config("secretKey")),
            SessionToken = NonEmpty(config("token")),
            Profile = NonEmpty(config("profile")),
            AssumeRoles = roles,
            WebIdentity = webIdentity,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The compiler-generated record ToString would print the secret key and session token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Region = ").Append(Region);
        builder.Append(", AccessKey = ").Append(AccessKey is null ? "null" : "***");
        builder.Append(", SecretKey = ").Append(SecretKey is null ? "null" : "***");
        builder.Append(", SessionToken = ").Append(SessionToken is null ? "null" : "***");
        builder.Append(", Profile = ").Append(Profile ?? "null");
        builder.Append(", WebIdentity = ").Append(WebIdentity?.RoleArn ?? "null");
        builder.Append(", AssumeRoles = [").AppendJoin(", ", AssumeRoles.Select(r => r.RoleArn)).Append(']');
        builder.Append(", Endpoint = ").Append(Endpoint?.ToString() ?? "null");
        return true;
    }
}
