using Psoxy.Infra.Configuration;
using Pulumi;
using Pulumi.Random;

namespace Psoxy.Infra.Hosts;

internal sealed class ProxySecretsArgs
{
    /// <summary>A salt from secret config (an existing deployment's); null to generate one.</summary>
    public SecretText? PseudonymSalt { get; init; }

    /// <summary>An encryption key from secret config; null to generate one.</summary>
    public SecretText? EncryptionKey { get; init; }
}

/// <summary>
/// The pseudonym salt and the key for reversible pseudonyms that every proxy instance of the environment shares.
/// Pseudonyms depend on the salt: once data has been pseudonymized with it, it must never change. So a generated
/// value is created once, protected, and lives outside the hosts (switching host keeps it); a configured value
/// (secret config) keeps an existing deployment's pseudonyms.
/// </summary>
internal sealed class ProxySecrets : ComponentResource
{
    public const string TypeToken = "psoxy:proxy:SharedSecrets";

    // Psoxy's own lengths for generated values.
    public const int SaltLength = 20;
    public const int EncryptionKeyLength = 32;

    /// <summary>The pseudonym salt (secret).</summary>
    public Output<string> PseudonymSalt { get; }

    /// <summary>
    /// The salt's fingerprint as Psoxy's health check reports it (<see cref="PsoxySaltHash"/>). Psoxy publishes it
    /// openly, and a one-way hash reveals nothing of the salt, so it is deliberately not secret (Pulumi would
    /// otherwise carry the salt's secretness over to it) and can be compared by <c>verify</c>.
    /// </summary>
    public Output<string> SaltSha256Hash { get; }

    /// <summary>The encryption key for reversible pseudonyms (secret).</summary>
    public Output<string> EncryptionKey { get; }

    public ProxySecrets(string name, ProxySecretsArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        PseudonymSalt = args.PseudonymSalt is { } salt
            ? Output.CreateSecret(salt.Reveal())
            : Generate($"{name}-pseudonym-salt", SaltLength);
        SaltSha256Hash = Output.Unsecret(PseudonymSalt.Apply(PsoxySaltHash.Compute));
        EncryptionKey = args.EncryptionKey is { } key
            ? Output.CreateSecret(key.Reveal())
            : Generate($"{name}-encryption-key", EncryptionKeyLength);

        // The values themselves are never registered as outputs: they only reach the hosts' secret stores.
        RegisterOutputs();
    }

    private Output<string> Generate(string name, int length)
    {
        var password = new RandomPassword(name, new RandomPasswordArgs
        {
            Length = length,
            Special = true,
        }, new CustomResourceOptions
        {
            Parent = this,
            // Regenerating would silently change every pseudonym; deleting needs a deliberate unprotect.
            Protect = true,
        });
        return Output.CreateSecret(password.Result);
    }
}
