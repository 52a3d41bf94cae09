using System.Globalization;
using System.Text.Json;

namespace Psoxy.Infra.Migration;

/// <summary>Bad input to <c>migrate</c>: the message lists what was found and what is missing; never a secret.</summary>
internal sealed class MigrationInputException(string message) : Exception(message);

/// <summary>
/// One resource of a <c>terraform show -json</c> document. <see cref="Values"/> may hold sensitive values
/// (Terraform writes them in clear): read only the attributes needed, and never copy a secret out.
/// </summary>
/// <param name="Address">Its full address, e.g. <c>module.psoxy.module.api_connector["outlook-cal"].aws_lambda_function_url.lambda_url</c>.</param>
/// <param name="Mode"><c>managed</c> or <c>data</c>.</param>
/// <param name="Module">The address of its module (empty at the root).</param>
internal sealed record TerraformResource(string Address, string Mode, string Type, string Name, string Module, JsonElement Values)
{
    // The compiler-generated ToString would print Values, secrets included: the address says which resource it is.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Address = ").Append(Address).Append(", Type = ").Append(Type);
        return true;
    }

    public bool IsManaged => Mode == "managed";

    /// <summary>A top-level attribute that is a string, or null.</summary>
    public string? String(string attribute) =>
        Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attribute, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A top-level attribute that is a whole number, or null.</summary>
    public int? Integer(string attribute) =>
        Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attribute, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    /// <summary>A top-level attribute, or null when absent or null.</summary>
    public JsonElement? Attribute(string attribute) =>
        Values.ValueKind == JsonValueKind.Object && Values.TryGetProperty(attribute, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>The strings of a list or set attribute (others skipped).</summary>
    public IReadOnlyList<string> Strings(string attribute) =>
        Attribute(attribute) is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>The first element of a nested block (Terraform writes blocks as lists), or null.</summary>
    public static JsonElement? FirstBlock(JsonElement? parent, string block) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(block, out var b) && b.ValueKind == JsonValueKind.Array && b.GetArrayLength() > 0
            ? b[0]
            : null;

    /// <summary>A string map below <paramref name="parent"/>, e.g. a function's environment variables.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonElement? parent, string attribute)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(attribute, out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in map.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => property.Value.GetRawText(),
                };
            }
        }

        return result;
    }
}

/// <summary>A <c>terraform show -json</c> document: its resources, every module flattened.</summary>
internal sealed class TerraformState
{
    private TerraformState(string? terraformVersion, IReadOnlyList<TerraformResource> resources)
    {
        TerraformVersion = terraformVersion;
        Resources = resources;
    }

    public string? TerraformVersion { get; }
    public IReadOnlyList<TerraformResource> Resources { get; }

    public IEnumerable<TerraformResource> Managed(string type) => Resources.Where(r => r.IsManaged && r.Type == type);

    /// <summary>Parses the document; <see cref="MigrationInputException"/> when it is not <c>terraform show -json</c> output.</summary>
    public static TerraformState Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new MigrationInputException($"the Terraform state is not JSON (line {e.LineNumber + 1}): give the output of `terraform show -json` (not the .tfstate file, nor `terraform show` text).");
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format_version", out _))
        {
            throw new MigrationInputException("the Terraform state has no format_version: give the output of `terraform show -json` run in the Terraform root of the Psoxy deployment.");
        }

        // Terraform's JSON output format: a new major version may change any field's meaning; minor versions only add.
        if (root.GetProperty("format_version") is not { ValueKind: JsonValueKind.String } format || format.GetString()?.Split('.') is not ["1", _])
        {
            throw new MigrationInputException($"the Terraform state's format_version is {root.GetProperty("format_version").GetRawText()}; this reads format 1.x, what `terraform show -json` writes in Terraform 0.12 to 1.x. Give the output of such a Terraform.");
        }

        var version = root.TryGetProperty("terraform_version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (!root.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object
            || !values.TryGetProperty("root_module", out var rootModule) || rootModule.ValueKind != JsonValueKind.Object)
        {
            throw new MigrationInputException("the Terraform state has no values.root_module: it holds no resources (was `terraform apply` ever run, or is this `terraform show -json` of a plan?).");
        }

        var resources = new List<TerraformResource>();
        Collect(rootModule, string.Empty, resources);
        return new TerraformState(version, resources);
    }

    private static void Collect(JsonElement module, string address, List<TerraformResource> into)
    {
        if (module.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in resources.EnumerateArray())
            {
                if (r.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                string Text(string name) => r.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
                var type = Text("type");
                var name = Text("name");
                var mode = Text("mode");
                var resourceAddress = Text("address");
                if (resourceAddress.Length == 0)
                {
                    var index = r.TryGetProperty("index", out var i) ? IndexText(i) : string.Empty;
                    var local = (mode == "data" ? "data." : string.Empty) + $"{type}.{name}{index}";
                    resourceAddress = address.Length == 0 ? local : $"{address}.{local}";
                }

                var values = r.TryGetProperty("values", out var vs) ? vs.Clone() : default;
                into.Add(new TerraformResource(resourceAddress, mode.Length == 0 ? "managed" : mode, type, name, address, values));
            }
        }

        if (module.TryGetProperty("child_modules", out var children) && children.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in children.EnumerateArray())
            {
                var childAddress = child.TryGetProperty("address", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : address;
                Collect(child, childAddress, into);
            }
        }
    }

    private static string IndexText(JsonElement index) => index.ValueKind switch
    {
        JsonValueKind.String => $"[\"{index.GetString()}\"]",
        JsonValueKind.Number => $"[{index.GetRawText()}]",
        _ => string.Empty,
    };

    /// <summary>The key of module <paramref name="moduleName"/> in an address, e.g. <c>outlook-cal</c> of <c>module.api_connector["outlook-cal"]</c>.</summary>
    public static string? ModuleKey(string address, string moduleName)
    {
        var marker = $"module.{moduleName}[\"";
        var start = address.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = address.IndexOf("\"]", start, StringComparison.Ordinal);
        return end < 0 ? null : address[start..end];
    }

    /// <summary>An integer written as text, or null.</summary>
    public static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
