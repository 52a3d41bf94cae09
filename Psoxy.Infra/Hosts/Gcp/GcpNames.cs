using System.Security.Cryptography;
using System.Text;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>Names derived for GCP resources, within GCP's limits.</summary>
internal static class GcpNames
{
    public const int ServiceAccountIdMinLength = 6;
    public const int ServiceAccountIdMaxLength = 30;

    /// <summary>Cloud Storage bucket names are at most 63 characters.</summary>
    public const int BucketNameMaxLength = 63;

    /// <summary>
    /// The connector's service account id: <c>&lt;environment&gt;-&lt;connector&gt;</c> when that fits GCP's
    /// 6-30 character rule, otherwise a prefix of it plus a hash of the whole, so it is deterministic and two
    /// connectors never share an id.
    /// </summary>
    public static string ServiceAccountId(string environment, string connectorId)
    {
        var full = $"{environment}-{connectorId}";
        if (full.Length <= ServiceAccountIdMaxLength)
        {
            return full.Length >= ServiceAccountIdMinLength ? full : (full + "-psoxy")[..ServiceAccountIdMinLength];
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..6];
        var prefix = full[..(ServiceAccountIdMaxLength - hash.Length - 1)].TrimEnd('-');
        return $"{prefix}-{hash}";
    }

    /// <summary>
    /// The environment's build service account id: <c>&lt;environment&gt;-proxy-builder</c> (Psoxy's builder account,
    /// shortened the same way as the connectors' ids when it does not fit). No connector is named <c>proxy-builder</c>.
    /// </summary>
    public static string BuildServiceAccountId(string environment) => ServiceAccountId(environment, "proxy-builder");

    /// <summary>
    /// The environment's Artifact Registry repository for the functions' images: <c>&lt;environment&gt;-psoxy-functions</c>
    /// (lowercase letters, digits and hyphens, starting with a letter: what environment names allow).
    /// </summary>
    public static string FunctionsRepositoryId(string environment) => $"{environment}-psoxy-functions";

    /// <summary>The Cloud Function (and its Cloud Run service): <c>&lt;environment&gt;-&lt;connector&gt;</c>, as Psoxy names it.</summary>
    public static string FunctionName(string environment, string connectorId) => $"{environment}-{connectorId}";

    /// <summary>
    /// The prefix of the environment's Secret Manager secret ids, also Psoxy's <c>PATH_TO_SHARED_CONFIG</c>:
    /// <c>PSOXY_&lt;ENVIRONMENT&gt;_</c>. Secret ids allow letters, digits, '-' and '_'; upper case with
    /// underscores matches the names Psoxy looks up (<c>&lt;prefix&gt;PSOXY_SALT</c>).
    /// </summary>
    public static string SecretPrefix(string environment) =>
        "PSOXY_" + environment.ToUpperInvariant().Replace('-', '_') + "_";

    /// <summary>
    /// The private artifacts bucket for an uploaded bundle: <c>&lt;project&gt;-&lt;environment&gt;-artifacts</c>.
    /// Project ids are globally unique, so the name is too; 30 + 1 + 20 + 10 characters fit the 63 allowed.
    /// </summary>
    public static string ArtifactsBucketName(string projectId, string environment) => $"{projectId}-{environment}-artifacts";

    /// <summary>
    /// The uploaded bundle's object name: <c>&lt;environment&gt;-&lt;file stem&gt;-&lt;content hash&gt;.zip</c>. The
    /// hash makes a changed bundle a new object, so the functions are rebuilt from it.
    /// </summary>
    public static string BundleObjectName(string environment, string fileName, string contentSha256Hex)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var extension = Path.GetExtension(fileName);
        return $"{environment}-{stem}-{contentSha256Hex[..12]}{extension}";
    }
}
