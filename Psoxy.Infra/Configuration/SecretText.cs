namespace Psoxy.Infra.Configuration;

/// <summary>
/// A secret from the stack configuration (a salt, a key). Its text is reached only through <see cref="Reveal"/>,
/// which the program calls where it hands the value to Pulumi as a secret: never printed, logged or shown by
/// <see cref="ToString"/>, including in the records that hold it.
/// </summary>
internal sealed class SecretText(string value)
{
    public const string Masked = "[secret]";

    public string Reveal() => value;

    public override string ToString() => Masked;
}
