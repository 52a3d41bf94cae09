using System.Text.RegularExpressions;

namespace Psoxy.Infra.Configuration;

/// <summary>How a region name compares with the regions a cloud is known to offer.</summary>
internal enum RegionCheck
{
    /// <summary>A region the cloud offers.</summary>
    Known,

    /// <summary>Shaped like the cloud's region names, in a known area, but not a region known here: perhaps a new one.</summary>
    Unknown,

    /// <summary>Not shaped like any region name of the cloud: refused.</summary>
    Malformed,
}

/// <summary>
/// The regions each host offers, so a region that does not exist is refused (or, when it may be newer than this
/// program, warned about) before `pulumi up` creates anything. The region is checked wherever it is written: the
/// providers' keys (<c>aws:region</c>, <c>gcp:region</c>), the <c>psoxy:</c> objects and the buckets of Psoxy's
/// released bundles.
/// </summary>
internal static partial class Regions
{
    // Compass points AWS and GCP region names use.
    private const string Directions = "north|south|east|west|central|northeast|northwest|southeast|southwest";

    // AWS: <area>-<direction>-<number>, the area possibly with a partition part (us-gov, us-isob, eusc-de).
    [GeneratedRegex("^(?<area>[a-z]+(-[a-z]+)*?)-(" + Directions + ")-[0-9]{1,2}$")]
    private static partial Regex AwsShape();

    // GCP: <area>-<direction><number>.
    [GeneratedRegex("^(?<area>[a-z]+)-(" + Directions + ")[0-9]{1,2}$")]
    private static partial Regex GcpShape();

    /// <summary>
    /// Every region of every partition the AWS SDK for .NET knows (AWSSDK.Core's endpoint metadata: aws, aws-cn,
    /// aws-us-gov, aws-iso*, aws-eusc), without its pseudo-regions such as <c>us-east-1-regional</c>.
    /// </summary>
    public static IReadOnlyList<string> Aws { get; } = Amazon.RegionEndpoint.EnumerableAllRegions
        .Select(r => r.SystemName)
        .Where(name => AwsShape().IsMatch(name))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// The locations of Cloud Functions (2nd gen), which run on Cloud Run: the Tier 1 and Tier 2 regions listed at
    /// https://cloud.google.com/run/docs/locations (also https://cloud.google.com/functions/docs/locations), as of
    /// December 2026. `gcloud functions regions list` prints the current list; a newer region is warned about, not refused.
    /// </summary>
    public static IReadOnlyList<string> GcpFunctions { get; } =
    [
        // Tier 1
        "asia-east1", "asia-northeast1", "asia-northeast2", "europe-north1", "europe-southwest1", "europe-west1",
        "europe-west4", "europe-west8", "europe-west9", "me-west1", "us-central1", "us-east1", "us-east4", "us-east5",
        "us-south1", "us-west1",

        // Tier 2
        "africa-south1", "asia-east2", "asia-northeast3", "asia-southeast1", "asia-southeast2", "asia-south1",
        "asia-south2", "australia-southeast1", "australia-southeast2", "europe-central2", "europe-north2",
        "europe-west10", "europe-west12", "europe-west2", "europe-west3", "europe-west6", "me-central1", "me-central2",
        "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1", "southamerica-east1",
        "southamerica-west1", "us-west2", "us-west3", "us-west4",
    ];

    private static readonly HashSet<string> AwsAreas = Aws.Select(r => AwsShape().Match(r).Groups["area"].Value).ToHashSet(StringComparer.Ordinal);
    private static readonly HashSet<string> GcpAreas = GcpFunctions.Select(r => GcpShape().Match(r).Groups["area"].Value).ToHashSet(StringComparer.Ordinal);

    public static RegionCheck CheckAws(string region) =>
        Aws.Contains(region, StringComparer.Ordinal) ? RegionCheck.Known
        : AwsShape().Match(region) is { Success: true } m && AwsAreas.Contains(m.Groups["area"].Value) ? RegionCheck.Unknown
        : RegionCheck.Malformed;

    public static RegionCheck CheckGcp(string region) =>
        GcpFunctions.Contains(region, StringComparer.Ordinal) ? RegionCheck.Known
        : GcpShape().Match(region) is { Success: true } m && GcpAreas.Contains(m.Groups["area"].Value) ? RegionCheck.Unknown
        : RegionCheck.Malformed;

    /// <summary>The <paramref name="count"/> known regions nearest to <paramref name="region"/> in spelling.</summary>
    public static IReadOnlyList<string> Nearest(string region, IReadOnlyList<string> known, int count = 3) =>
        known.OrderBy(k => Spelling.EditDistance(k, region.ToLowerInvariant())).ThenBy(k => k, StringComparer.Ordinal).Take(count).ToList();

    /// <summary>
    /// Checks an AWS region written at <paramref name="key"/> (a <c>psoxy:</c> path or a full provider key): a
    /// malformed one is a problem naming the nearest regions, an unknown well-formed one a warning naming it.
    /// Returns whether the region may be used.
    /// </summary>
    /// <param name="within">The whole value the region was taken from (a bundle URI), when it is not the region itself.</param>
    public static bool ReportAws(string key, string region, List<ConfigProblem> problems, List<string> warnings, string? within = null) =>
        Report(key, region, within, CheckAws(region), Aws, "an AWS region such as us-east-1", "the AWS SDK for .NET", problems, warnings);

    /// <summary>As <see cref="ReportAws"/>, for a Cloud Functions (2nd gen) location, or any GCP region where <paramref name="what"/> says so.</summary>
    public static bool ReportGcp(string key, string region, List<ConfigProblem> problems, List<string> warnings, string what = "a Cloud Functions (2nd gen) location") =>
        Report(key, region, null, CheckGcp(region), GcpFunctions, what + " such as us-central1", "this program (https://cloud.google.com/run/docs/locations)", problems, warnings);

    private static bool Report(string key, string region, string? within, RegionCheck check, IReadOnlyList<string> known, string allowed, string source,
        List<ConfigProblem> problems, List<string> warnings)
    {
        var nearest = string.Join(", ", Nearest(region, known));
        var which = within is null ? string.Empty : $"the region in it, '{region}', ";
        switch (check)
        {
            case RegionCheck.Known:
                return true;
            case RegionCheck.Unknown:
                warnings.Add($"{ConfigKeys.Full(key)} = '{within ?? region}'{(within is null ? " " : ": ")}{which}is not a region known to {source} (nearest known: {nearest}): if it is a region newer than this program, ignore this; otherwise `pulumi up` fails there.");
                return true;
            default:
                problems.Add(new(key, within ?? region, $"{which}not a known region; allowed: {allowed} (nearest known: {nearest})"));
                return false;
        }
    }
}
