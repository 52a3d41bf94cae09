using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// One connector's custom rules (Psoxy's <c>custom_api_connector_rules</c>): a YAML file that narrows what the
/// connector's proxy returns, deployed as Psoxy's aws-host and gcp-host deploy it.
/// </summary>
/// <param name="ConnectorId">The connector whose proxy reads the rules.</param>
/// <param name="File">The file as configured (relative to the project directory, or absolute).</param>
/// <param name="Yaml">The file's text.</param>
/// <param name="Sha1">
/// The SHA-1 of the file's bytes, lowercase hex: Terraform's <c>filesha1</c>, which Psoxy's hosts set as
/// <c>CUSTOM_RULES_SHA</c> so that a change of the rules redeploys the function.
/// </param>
internal sealed record CustomRules(string ConnectorId, string File, string Yaml, string Sha1)
{
    /// <summary>The name Psoxy reads the rules by (<c>ProxyConfigProperty.RULES</c>): a stored value on AWS, a variable on GCP.</summary>
    public const string RulesName = "RULES";

    /// <summary>The variable that carries <see cref="Sha1"/> (<c>ProxyConfigProperty.CUSTOM_RULES_SHA</c>).</summary>
    public const string ShaVariable = "CUSTOM_RULES_SHA";

    /// <summary>
    /// The SSM parameter's value, as aws-ssm-rules stores it: the YAML as is, readable in the console, unless it is
    /// too large for an advanced parameter; then gzipped and base64-encoded (Psoxy's RulesUtils decodes both). Unlike
    /// aws-ssm-rules, rules of exactly 8192 bytes are compressed too, as its own check would refuse them plain.
    /// </summary>
    public string SsmValue => Encoding.UTF8.GetByteCount(Yaml) >= ServiceLimits.SsmAdvancedParameterBytes ? Base64Gzip(Yaml) : Yaml;

    /// <summary>aws-ssm-rules: a standard parameter when the value fits one, else an advanced one.</summary>
    public string SsmTier => Encoding.UTF8.GetByteCount(SsmValue) < ServiceLimits.SsmStandardParameterBytes ? "Standard" : "Advanced";

    /// <summary>The <c>RULES</c> variable's value on GCP, as gcp-host sets it: the YAML gzipped and base64-encoded.</summary>
    public string GcpVariableValue => Base64Gzip(Yaml);

    /// <summary>Terraform's <c>base64gzip</c>: gzip (no file name, no time), then standard base64.</summary>
    public static string Base64Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>Terraform's <c>sha1</c>/<c>filesha1</c>: lowercase hex.</summary>
    /// <remarks>SHA-1 because Psoxy's modules and its health check use it: a fingerprint of public rules, not a security measure.</remarks>
#pragma warning disable CA5350
    public static string Sha1Of(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData(bytes));
#pragma warning restore CA5350
}
