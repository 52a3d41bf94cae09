using System.Globalization;
using System.Text.RegularExpressions;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// The Java runtimes a Psoxy bundle runs on, from the Psoxy version in its released file name
/// (<c>psoxy-aws-0.6.9.jar</c>, <c>psoxy-gcp-0.6.9.zip</c>): 0.6.x and later are built for Java 21, earlier ones for Java 17.
/// </summary>
internal static partial class BundleVersion
{
    /// <summary>Every Java runtime both hosts offer that some Psoxy release runs on.</summary>
    public static readonly IReadOnlyList<string> AllRuntimes = ["java17", "java21", "java25"];

    /// <summary>The runtimes of Psoxy 0.6 and later (Java 21+), also assumed for a bundle whose version is not in its name.</summary>
    public static readonly IReadOnlyList<string> Java21AndLater = ["java21", "java25"];

    private static readonly Version FirstJava21Release = new(0, 6);

    [GeneratedRegex(@"^psoxy-(?:aws|gcp)-(?<major>[0-9]+)\.(?<minor>[0-9]+)\.(?<patch>[0-9]+)(?:[-.+][A-Za-z0-9.+-]*)?\.(?:jar|zip)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReleasedFileName();

    /// <summary>The Psoxy version in a released bundle's file name; null when the name carries none.</summary>
    public static Version? Of(string fileName)
    {
        var match = ReleasedFileName().Match(fileName);
        return match.Success
            ? new Version(Number(match, "major"), Number(match, "minor"), Number(match, "patch"))
            : null;
    }

    /// <summary>The runtimes the bundle named <paramref name="fileName"/> runs on (Java 21+ unless its name says older than 0.6).</summary>
    public static IReadOnlyList<string> RuntimesFor(string? fileName) =>
        fileName is not null && Of(fileName) is { } version && version < FirstJava21Release ? AllRuntimes : Java21AndLater;

    /// <summary>Why the bundle needs the runtimes it does, for error messages.</summary>
    public static string Requirement(string? fileName) => (fileName is null ? null : Of(fileName)) switch
    {
        null => "Psoxy 0.6 and later need Java 21 or later, and the bundle's file name carries no version, so 0.6 or later is assumed",
        { } v when v < FirstJava21Release => $"{fileName} is Psoxy {v}, built for Java 17",
        { } v => $"{fileName} is Psoxy {v}, which needs Java 21 or later",
    };

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
}
