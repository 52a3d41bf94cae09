using System.Security.Cryptography;
using System.Text;

namespace Psoxy.Infra.Hosts;

/// <summary>
/// The fingerprint of the pseudonym salt that Psoxy's health check publishes as <c>saltSha256Hash</c>, so a changed
/// salt (which changes every pseudonym) can be detected without revealing it. Follows Psoxy v0.6.9's
/// <c>HealthCheckRequestHandler.piiSaltHash()</c>: <c>HashUtils.hash(salt, ProxyConstants.SALT_FOR_SALT)</c>, i.e.
/// SHA-256 of the UTF-8 concatenation, unpadded base64 with '/' and '+' replaced by '_' and '.'.
/// </summary>
internal static class PsoxySaltHash
{
    /// <summary>Psoxy's <c>ProxyConstants.SALT_FOR_SALT</c>.</summary>
    public const string SaltForSalt = "f33c366c-ae91-4819-b221-f9794ebb8145";

    public static string Compute(string salt)
    {
        ArgumentNullException.ThrowIfNull(salt);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(salt + SaltForSalt));
        return Convert.ToBase64String(digest).TrimEnd('=').Replace('/', '_').Replace('+', '.');
    }
}
