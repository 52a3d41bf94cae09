using Psoxy.Infra.Entra;
using Pulumi;

namespace Psoxy.Infra.Hosts;

/// <summary>
/// One value Psoxy reads from its host's secret store, as both hosts store it. The store's name for it is
/// <c>&lt;prefix&gt;&lt;<see cref="Name"/>&gt;</c>, where the prefix is the environment's (shared values) or the
/// instance's (its own values), so Psoxy finds it below <c>PATH_TO_SHARED_CONFIG</c> or <c>PATH_TO_INSTANCE_CONFIG</c>.
/// </summary>
/// <param name="ResourceSuffix">The Pulumi resource name's suffix (after the owning component's name), e.g. <c>pseudonym-salt</c>.</param>
/// <param name="Slug">A short name for resources that refer to the stored value, e.g. <c>salt</c>.</param>
/// <param name="Name">The name Psoxy looks the value up by (and, on GCP, the environment variable it is bound to).</param>
/// <param name="Value">The value; always a secret Output.</param>
/// <param name="Purpose">What the value is for, for people reading the store.</param>
/// <param name="Keep">
/// A value that must outlive mistakes (salt, encryption key): its pseudonyms depend on it. Stores that can, keep it
/// recoverable (GCP disables a replaced version rather than destroying it, and protects the secret).
/// </param>
internal sealed record ProxyConfigValue(string ResourceSuffix, string Slug, string Name, Output<string> Value, string Purpose, bool Keep);

/// <summary>
/// A host's secret store (SSM Parameter Store on AWS, Secret Manager on GCP): stores each <see cref="ProxyConfigValue"/>
/// under its full name and returns what the host needs to let its functions read it.
/// </summary>
/// <typeparam name="TStored">What the host keeps of a stored value (a parameter, a secret and its version).</typeparam>
internal interface IProxySecretStore<out TStored>
{
    /// <summary>Declares <paramref name="value"/> under <paramref name="prefix"/> as a child of <paramref name="owner"/>, named <c>&lt;owner name&gt;-&lt;suffix&gt;</c>.</summary>
    TStored Store(Resource owner, string ownerName, string prefix, ProxyConfigValue value);
}

/// <summary>The values Psoxy reads from its secret store, named once for both hosts (psoxy-hosts.md §1.6, §2.4).</summary>
internal static class ProxyConfigValues
{
    public const string Salt = "PSOXY_SALT";
    public const string EncryptionKey = "PSOXY_ENCRYPTION_KEY";
    public const string PrivateKey = "PRIVATE_KEY";
    public const string PrivateKeyId = "PRIVATE_KEY_ID";

    /// <summary>The salt and encryption key every instance of the environment shares.</summary>
    public static IReadOnlyList<ProxyConfigValue> Shared(ProxySecrets secrets) =>
    [
        new("pseudonym-salt", "salt", Salt, secrets.PseudonymSalt, "Psoxy: salt of the pseudonyms. Changing it changes every pseudonym.", Keep: true),
        new("encryption-key", "encryption-key", EncryptionKey, secrets.EncryptionKey, "Psoxy: key of the reversible pseudonyms.", Keep: true),
    ];

    /// <summary>With certificate auth, the instance's own private key and its id (the certificate's thumbprint).</summary>
    public static IReadOnlyList<ProxyConfigValue> Certificate(CertificateCredential certificate, string connectorDisplayName) =>
    [
        new("private-key", "private-key", PrivateKey, certificate.PrivateKeyPem,
            $"Psoxy {connectorDisplayName}: private key of the Entra application's certificate (PKCS#8 PEM).", Keep: false),
        new("private-key-id", "private-key-id", PrivateKeyId, certificate.KeyId,
            $"Psoxy {connectorDisplayName}: SHA-1 thumbprint of the Entra application's certificate.", Keep: false),
    ];

    /// <summary>Stores each of <paramref name="values"/> in <paramref name="store"/>, in order.</summary>
    public static IReadOnlyList<TStored> StoreAll<TStored>(this IProxySecretStore<TStored> store, Resource owner, string ownerName, string prefix,
        IEnumerable<ProxyConfigValue> values) =>
        values.Select(v => store.Store(owner, ownerName, prefix, v)).ToList();
}
