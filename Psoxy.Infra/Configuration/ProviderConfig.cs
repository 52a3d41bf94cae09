using System.Collections.Immutable;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// The few keys of the cloud providers' own namespaces that the program checks against its <c>psoxy:</c> settings:
/// a region or project set in both places must agree, or the provider would deploy somewhere other than where the
/// program's names, ARNs and checks point. Passed to <see cref="StackSettingsReader"/> explicitly, beside the
/// <c>psoxy</c> namespace.
/// </summary>
/// <param name="AwsRegion"><c>aws:region</c>, or null when not set.</param>
/// <param name="GcpProject"><c>gcp:project</c>, or null when not set.</param>
/// <param name="GcpRegion"><c>gcp:region</c>, or null when not set: checked to be a region, as the provider would.</param>
internal sealed record ProviderConfig(string? AwsRegion, string? GcpProject, string? GcpRegion = null)
{
    /// <summary>
    /// The AWS provider's credential keys the program's own AWS calls follow (<c>aws:assumeRoles</c>,
    /// <c>aws:assumeRoleWithWebIdentity</c>, and the v6 <c>aws:assumeRole</c> that v7 ignores), by name without
    /// the <c>aws:</c> prefix: checked with the other problems, before any resource.
    /// </summary>
    public IReadOnlyDictionary<string, string> AwsCredentials { get; init; } = new Dictionary<string, string>();

    /// <summary>The names (without <c>aws:</c>) of <see cref="AwsCredentials"/>.</summary>
    public static IReadOnlyList<string> AwsCredentialKeys { get; } = ["assumeRole", "assumeRoles", "assumeRoleWithWebIdentity"];

    public const string AwsRegionKey = "aws:region";
    public const string GcpProjectKey = "gcp:project";
    public const string GcpRegionKey = "gcp:region";

    /// <summary>No provider key set.</summary>
    public static ProviderConfig None { get; } = new(null, null);

    /// <summary>The keys of a configuration given by full key (<c>aws:region</c>), as a stack file holds them.</summary>
    public static ProviderConfig From(IReadOnlyDictionary<string, string> values) =>
        new(values.GetValueOrDefault(AwsRegionKey), values.GetValueOrDefault(GcpProjectKey), values.GetValueOrDefault(GcpRegionKey))
        {
            AwsCredentials = AwsCredentialKeys.Where(k => values.ContainsKey("aws:" + k)).ToDictionary(k => k, k => values["aws:" + k]),
        };

    /// <summary>The keys of the running stack's configuration.</summary>
    public static ProviderConfig FromPulumi()
    {
        var aws = new Pulumi.Config("aws");
        return new(aws.Get("region"), new Pulumi.Config("gcp").Get("project"), new Pulumi.Config("gcp").Get("region"))
        {
            AwsCredentials = AwsCredentialKeys.Select(k => (k, Value: aws.Get(k))).Where(p => p.Value is not null).ToDictionary(p => p.k, p => p.Value!),
        };
    }

    /// <summary>
    /// Reads the AWS provider's credential keys from <paramref name="config"/> (names without <c>aws:</c>), every
    /// problem into <paramref name="problems"/>: the singular <c>aws:assumeRole</c> is refused (not a v7 key, so the
    /// provider ignores it and honouring it would act as another principal).
    /// </summary>
    public static (ImmutableArray<AwsAssumeRole> Roles, AwsWebIdentity? WebIdentity) ReadAwsCredentials(
        Func<string, string?> config, List<ConfigProblem> problems)
    {
        if (NonEmpty(config("assumeRole")) is not null)
        {
            problems.Add(new("aws:assumeRole", "[value not shown]",
                "not a key of the AWS provider v7, which ignores it; move the role to aws:assumeRoles, a list: pulumi config rm aws:assumeRole && pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>"));
        }

        var roles = AwsAssumeRole.ReadList(NonEmpty(config("assumeRoles")), "aws:assumeRoles", problems);
        var webIdentity = AwsWebIdentity.Read(NonEmpty(config("assumeRoleWithWebIdentity")), problems);
        return (roles, webIdentity);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
