using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Psoxy.Infra.Planning.State;

/// <summary>Renders the change to a deployed stack (<c>plan --state</c>): for people, what matters most first; for tools, <c>pulumi preview --json</c>'s steps.</summary>
internal static class StatePlanFormats
{
    // What users rely on by identity: a new Entra application loses its client id and admin consent, a new function
    // its URL, a new salt or key every pseudonym.
    private static readonly string[] CriticalTypes =
    [
        "azuread:index/application:Application",
        "aws:lambda/function:Function",
        "aws:lambda/functionUrl:FunctionUrl",
        "gcp:cloudfunctionsv2/function:Function",
        "random:index/randomPassword:RandomPassword",
        "tls:index/privateKey:PrivateKey",
        "aws:ssm/parameter:Parameter",
        "gcp:secretmanager/secret:Secret",
        "gcp:secretmanager/secretVersion:SecretVersion",
    ];

    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    /// <summary>A replacement or delete of something users rely on by identity.</summary>
    public static bool IsCritical(PlanStep step) => step.Op is StepOp.Replace or StepOp.Delete && CriticalTypes.Contains(step.Type);

    public static string Render(Plan plan, IReadOnlyList<PlanStep> steps, PlanFormat format, PlanRenderOptions options) => format switch
    {
        PlanFormat.Json => Json(plan, steps),
        PlanFormat.Markdown => $"# Changes to stack '{plan.StackName}'\n\n```\n{Text(plan, steps, options with { Color = false })}```\n",
        PlanFormat.Mermaid => PlanFormats.Render(plan, format, options),
        _ => Text(plan, steps, options),
    };

    public static string Text(Plan plan, IReadOnlyList<PlanStep> steps, PlanRenderOptions options)
    {
        var o = new StringBuilder();
        string Style(string code, string text) => options.Color ? $"\u001b[{code}m{text}\u001b[0m" : text;
        var changes = steps.Where(s => s.IsChange).ToList();
        o.AppendLine($"Changes `pulumi up` would make to the deployed stack '{plan.StackName}' ({plan.StackFile} against its exported state), offline:");
        foreach (var warning in plan.Warnings)
        {
            o.AppendLine($"warning: {warning}");
        }

        foreach (var note in plan.Notes)
        {
            o.AppendLine($"note: {note}");
        }

        var critical = changes.Where(IsCritical).ToList();
        if (critical.Count > 0)
        {
            o.AppendLine();
            o.AppendLine(Style("1;31", "Replacements and deletes of what users rely on (client ids and admin consent, function URLs, salts and keys):"));
            foreach (var step in critical)
            {
                o.AppendLine(Style("31", Line(step)));
            }
        }

        var blocking = changes.Where(s => s.Blocking).ToList();
        if (blocking.Count > 0)
        {
            o.AppendLine();
            o.AppendLine(Style("1;31", "Blocking `pulumi up`: protected resources the program no longer declares (remove their protection, or declare them again):"));
            foreach (var step in blocking)
            {
                o.AppendLine(Style("31", $"  {step.Urn}"));
            }
        }

        o.AppendLine();
        o.AppendLine(changes.Count == 0 ? "No changes." : $"All changes ({changes.Count}):");
        foreach (var step in changes.Where(s => !IsCritical(s)))
        {
            o.AppendLine(Line(step));
        }

        var unknown = steps.Where(s => s.KnownAtDeploy.Count > 0 && !s.MayReplace).ToList();
        if (unknown.Count > 0)
        {
            o.AppendLine();
            o.AppendLine("Known only when `pulumi up` runs (they depend on the deployer, e.g. the owners it adds, or on values the cloud computes), not counted as changes:");
            foreach (var step in unknown)
            {
                o.AppendLine($"  {step.Type}  {step.Name}: {string.Join(", ", step.KnownAtDeploy)}");
            }
        }

        o.AppendLine();
        o.AppendLine(string.Join(", ", Enum.GetValues<StepOp>().Select(op => $"{steps.Count(s => s.Op == op)} {Word(op)}")) + ".");
        return o.ToString();
    }

    private static string Line(PlanStep step)
    {
        var symbol = step.Op switch
        {
            StepOp.Create => "+",
            StepOp.Delete => "-",
            StepOp.Update => "~",
            StepOp.Replace => "+-",
            _ => " ",
        };
        var what = step.Op switch
        {
            StepOp.Replace when step.MayReplace => $"may replace ({Properties(step.KnownAtDeploy.Concat(step.DiffReasons))}: known only at deploy, or this type's replacement-forcing inputs are unknown)",
            StepOp.Replace => $"replace (forced by {Properties(step.ReplaceReasons)}{(step.DiffReasons.Count > step.ReplaceReasons.Count ? "; also changed: " + Properties(step.DiffReasons.Except(step.ReplaceReasons)) : string.Empty)})",
            StepOp.Update => $"update ({Properties(step.DiffReasons)})",
            StepOp.Delete when step.Blocking => "delete (protected: blocks `pulumi up`)",
            _ => Word(step.Op),
        };
        var renamed = step.OldUrn is { } old ? $" (was {old}, by alias)" : string.Empty;
        return $"  {symbol} {step.Type}  {step.Name}: {what}{renamed}";
    }

    private static string Properties(IEnumerable<string> names) => string.Join(", ", names.Distinct());

    private static string Word(StepOp op) => op.ToString().ToLowerInvariant();

    /// <summary>The steps in <c>pulumi preview --json</c>'s shape. Secret values stay masked: never a value, nor a ciphertext.</summary>
    public static string Json(Plan plan, IReadOnlyList<PlanStep> steps)
    {
        var list = new JsonArray();
        foreach (var step in steps)
        {
            var item = new JsonObject
            {
                ["op"] = Word(step.Op),
                ["urn"] = step.Urn,
                ["type"] = step.Type,
            };
            if (step.OldInputs is { } oldInputs)
            {
                item["oldState"] = new JsonObject { ["urn"] = step.OldUrn ?? step.Urn, ["type"] = step.Type, ["inputs"] = Masked(oldInputs) };
            }

            if (step.NewInputs is { } newInputs)
            {
                item["newState"] = new JsonObject { ["urn"] = step.Urn, ["type"] = step.Type, ["inputs"] = Masked(newInputs) };
            }

            if (step.DiffReasons.Count > 0)
            {
                item["diffReasons"] = new JsonArray([.. step.DiffReasons.Select(r => (JsonNode)r)]);
                item["detailedDiff"] = new JsonObject(step.DiffReasons.Select(r => KeyValuePair.Create(r, (JsonNode?)new JsonObject
                {
                    ["kind"] = step.ReplaceReasons.Contains(r) ? "update-replace" : "update",
                    ["inputDiff"] = true,
                })));
            }

            if (step.ReplaceReasons.Count > 0)
            {
                item["replaceReasons"] = new JsonArray([.. step.ReplaceReasons.Select(r => (JsonNode)r)]);
            }

            if (step.MayReplace)
            {
                item["mayReplace"] = true;
            }

            if (step.KnownAtDeploy.Count > 0)
            {
                item["knownAtDeploy"] = new JsonArray([.. step.KnownAtDeploy.Select(r => (JsonNode)r)]);
            }

            if (step.Blocking)
            {
                item["protected"] = true;
            }

            list.Add(item);
        }

        var summary = new JsonObject(Enum.GetValues<StepOp>().Select(op => KeyValuePair.Create(Word(op), (JsonNode?)steps.Count(s => s.Op == op))));
        var document = new JsonObject
        {
            ["stack"] = plan.StackName,
            ["steps"] = list,
            ["changeSummary"] = summary,
            ["diagnostics"] = new JsonArray([.. plan.Warnings.Select(w => (JsonNode)new JsonObject { ["severity"] = "warning", ["message"] = w })]),
        };
        return document.ToJsonString(Indented) + "\n";
    }

    /// <summary>A copy with every secret, the program's or the export's, as the plan's secret marker.</summary>
    private static JsonNode? Masked(JsonNode? node) => node switch
    {
        _ when StateDiff.IsStateSecret(node) || PlanValue.IsSecret(node) => PlanValue.Secret(),
        JsonObject o => new JsonObject(o.Where(kv => !kv.Key.StartsWith("__", StringComparison.Ordinal)).Select(kv => KeyValuePair.Create(kv.Key, Masked(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Masked)]),
        _ => node?.DeepClone(),
    };
}
