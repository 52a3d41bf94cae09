using System.Security.Cryptography;
using System.Text;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>Names derived for GCP resources, within GCP's limits.</summary>
internal static class GcpNames
{
    public const int ServiceAccountIdMinLength = 6;
    public const int ServiceAccountIdMaxLength = 30;

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
}
