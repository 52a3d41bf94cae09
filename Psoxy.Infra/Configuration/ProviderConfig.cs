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
    public const string AwsRegionKey = "aws:region";
    public const string GcpProjectKey = "gcp:project";
    public const string GcpRegionKey = "gcp:region";

    /// <summary>No provider key set.</summary>
    public static ProviderConfig None { get; } = new(null, null);

    /// <summary>The keys of a configuration given by full key (<c>aws:region</c>), as a stack file holds them.</summary>
    public static ProviderConfig From(IReadOnlyDictionary<string, string> values) =>
        new(values.GetValueOrDefault(AwsRegionKey), values.GetValueOrDefault(GcpProjectKey), values.GetValueOrDefault(GcpRegionKey));

    /// <summary>The keys of the running stack's configuration.</summary>
    public static ProviderConfig FromPulumi() =>
        new(new Pulumi.Config("aws").Get("region"), new Pulumi.Config("gcp").Get("project"), new Pulumi.Config("gcp").Get("region"));
}
