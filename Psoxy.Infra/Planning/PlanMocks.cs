using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using Pulumi;
using Pulumi.Testing;

namespace Psoxy.Infra.Planning;

/// <summary>
/// The mocks an offline plan runs the program against. Every resource is "to be created": its inputs come back as
/// its outputs, and each value the provider computes (ids, ARNs, client ids...) is a <em>stand-in</em>, a marker that
/// names the resource and the output. Stand-ins flow through the program like the real values would, so the plan can
/// show where a value comes from and which resource must exist before which; they are displayed as
/// <c>(known after deploy)</c>. Values a program may parse (certificates, timestamps) and secrets stay unknown.
/// Data sources are not read: they answer from the stack configuration where the program checks it against the cloud
/// (the AWS account, the GCP project), and are unknown otherwise.
/// </summary>
internal sealed class PlanMocks(IReadOnlyDictionary<string, string> config) : IMocks
{
    /// <summary>Pulumi's wire marker for a value that is not known yet.</summary>
    private const string Unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    private const char Open = '\u27E6';
    private const char Close = '\u27E7';

    // Marks a provenance tag (on a value that is known) as opposed to a stand-in (for a value that is not).
    private const char TagMark = '=';

    // Resource classes by type token; provider assemblies load as the program first uses them, so a miss rescans.
    private static readonly ConcurrentDictionary<string, Type> ResourceTypes = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> ScannedAssemblies = [];
    private static readonly Lock ScanLock = new();

    // Outputs whose values programs parse or that are secret: no stand-in, they stay unknown.
    private static readonly string[] NoStandIn = ["pem", "pkcs8", "openssh", "time", "result", "fingerprint", "b64", "hex", "json", "base64"];

    private readonly ConcurrentDictionary<int, (string Type, string Name)> _byIndex = new();
    private int _count;

    public ConcurrentQueue<MockResourceArgs> Registered { get; } = new();

    /// <summary>The resource (type, name) and output a stand-in names, or null when <paramref name="text"/> has none.</summary>
    public IEnumerable<(string Type, string Name, string Output)> StandInsIn(string text)
    {
        var start = 0;
        while ((start = text.IndexOf(Open, start)) >= 0)
        {
            var end = text.IndexOf(Close, start);
            if (end < 0)
            {
                yield break;
            }

            var body = text[(start + 1)..end].TrimStart(TagMark);
            var dot = body.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && int.TryParse(body[..dot], System.Globalization.CultureInfo.InvariantCulture, out var index) && _byIndex.TryGetValue(index, out var resource))
            {
                yield return (resource.Type, resource.Name, body[(dot + 1)..]);
            }

            start = end + 1;
        }
    }

    // A stand-in inside a URL the program built with Uri.EscapeDataString.
    private static readonly string EscapedOpen = Uri.EscapeDataString(Open.ToString());
    private static readonly string EscapedClose = Uri.EscapeDataString(Close.ToString());

    /// <summary><paramref name="text"/> with every stand-in replaced by <paramref name="replacement"/> (escaped inside URLs).</summary>
    public static string ReplaceStandIns(string text, string replacement)
    {
        var escaped = text.Split(EscapedOpen);
        if (escaped.Length > 1)
        {
            text = escaped[0] + string.Concat(escaped.Skip(1).Select(part =>
                part.IndexOf(EscapedClose, StringComparison.Ordinal) is var end and >= 0
                    ? (part.StartsWith(Uri.EscapeDataString(TagMark.ToString()), StringComparison.Ordinal) ? string.Empty : Uri.EscapeDataString(replacement)) + part[(end + EscapedClose.Length)..]
                    : EscapedOpen + part));
        }

        return ReplaceUnescaped(text, replacement);
    }

    private static string ReplaceUnescaped(string text, string replacement)
    {
        var result = new System.Text.StringBuilder();
        var position = 0;
        int start;
        while ((start = text.IndexOf(Open, position)) >= 0 && text.IndexOf(Close, start) is var end and >= 0)
        {
            // A tag on a known value disappears; a stand-in for an unknown one becomes the replacement.
            result.Append(text, position, start - position).Append(text[start + 1] == TagMark ? string.Empty : replacement);
            position = end + 1;
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Registered.Enqueue(args);
        var index = Interlocked.Increment(ref _count);
        var type = args.Type ?? string.Empty;
        _byIndex[index] = (type, args.Name ?? string.Empty);

        var state = args.Inputs.ToBuilder();
        var resourceType = ResourceClass(type);
        if (resourceType is not null)
        {
            foreach (var output in StringOutputs(resourceType))
            {
                // An output the inputs determine keeps its value, tagged with where it comes from.
                state[output] = state.TryGetValue(output, out var echoed)
                    ? echoed is string known ? known + Tag(index, output) : echoed
                    : StandIn(index, output);
            }
        }

        var id = resourceType is not null && typeof(CustomResource).IsAssignableFrom(resourceType) ? StandIn(index, "id") : null;
        return Task.FromResult<(string?, object)>((id, state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args)
    {
        var result = ImmutableDictionary.CreateBuilder<string, object>();
        switch (args.Token)
        {
            // The program refuses credentials of another account or project; offline it assumes the configured ones.
            case "aws:index/getCallerIdentity:getCallerIdentity" when HostField("aws", "accountId") is { } account:
                result["accountId"] = account;
                result["arn"] = $"arn:aws:iam::{account}:user/offline-plan";
                break;
            case "gcp:organizations/getClientConfig:getClientConfig" when HostField("gcp", "projectId") is { } project:
                result["project"] = project;
                break;
        }

        foreach (var field in new[] { "id", "objectId", "objectIds", "clientId", "tenantId", "appRoleIds", "accountId", "arn", "userId", "region", "partition", "number", "projectId", "project", "json", "accessToken" })
        {
            result.TryAdd(field, Unknown);
        }

        return Task.FromResult<object>(result.ToImmutable());
    }

    private string? HostField(string host, string field)
    {
        if (!config.TryGetValue($"psoxy:{host}", out var raw))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string StandIn(int index, string output) => $"{Open}{index}.{output}{Close}";

    private static string Tag(int index, string output) => $"{Open}{TagMark}{index}.{output}{Close}";

    private static IEnumerable<string> StringOutputs(Type resourceType) =>
        resourceType.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.PropertyType == typeof(Output<string>))
            .Select(p => p.GetCustomAttribute<OutputAttribute>()?.Name)
            .OfType<string>()
            .Where(name => name is not "urn" and not "id" && !NoStandIn.Any(n => name.Contains(n, StringComparison.OrdinalIgnoreCase)));

    private static Type? ResourceClass(string token)
    {
        if (!ResourceTypes.TryGetValue(token, out var type))
        {
            ScanLoadedAssemblies();
            ResourceTypes.TryGetValue(token, out type);
        }

        return type;
    }

    // Each assembly is scanned once: components (no resource class) miss on every registration, and must not rescan.
    // The lock makes a concurrent miss wait for a scan in progress rather than skip its assembly.
    private static void ScanLoadedAssemblies()
    {
        lock (ScanLock)
        {
            ScanNewAssemblies();
        }
    }

    private static void ScanNewAssemblies()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && ScannedAssemblies.Add(a)))
        {
            Type[] exported;
            try
            {
                exported = assembly.GetExportedTypes();
            }
            catch (Exception e) when (e is NotSupportedException or ReflectionTypeLoadException or FileNotFoundException)
            {
                continue;
            }

            foreach (var type in exported)
            {
                if (type.GetCustomAttribute<ResourceTypeAttribute>(inherit: false) is { } attribute)
                {
                    ResourceTypes.TryAdd(attribute.Type, type);
                }
            }
        }
    }
}
