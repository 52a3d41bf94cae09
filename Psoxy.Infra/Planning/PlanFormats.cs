using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Psoxy.Infra.Planning;

/// <summary>The ways a plan can be written: for a terminal, for docs and reviews, for tools, and as a diagram.</summary>
internal enum PlanFormat
{
    Text,
    Markdown,
    Json,
    Mermaid,
}

/// <summary>Renders a <see cref="Plan"/> in each <see cref="PlanFormat"/>.</summary>
internal static class PlanFormats
{
    public static string FileExtension(PlanFormat format) => format switch
    {
        PlanFormat.Text => "txt",
        PlanFormat.Markdown => "md",
        PlanFormat.Json => "json",
        PlanFormat.Mermaid => "mmd",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string Render(Plan plan, PlanFormat format) => format switch
    {
        PlanFormat.Text => Text(plan),
        PlanFormat.Markdown => Markdown(plan),
        PlanFormat.Json => Json(plan),
        PlanFormat.Mermaid => Mermaid(plan),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    // Readable JSON: quotes and non-ASCII text as they are.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    private static string Text(Plan plan)
    {
        var o = new StringBuilder();
        o.AppendLine($"Plan for stack '{plan.StackName}' ({plan.StackFile}): a preview under offline mocks; nothing is deployed.");
        foreach (var warning in plan.Warnings)
        {
            o.AppendLine($"warning: {warning}");
        }

        o.AppendLine();
        o.AppendLine($"Resources to create ({plan.Resources.Count}), by parent:");
        void Node(PlannedResource r, int depth)
        {
            var indent = new string(' ', 2 + (2 * depth));
            o.AppendLine($"{indent}+ {r.Type}  {r.Name}{(r.Protected ? "  [protected]" : string.Empty)}");
            foreach (var (key, value) in r.Inputs)
            {
                o.AppendLine($"{indent}      {key}: {Short(value)}");
            }

            foreach (var child in plan.Children(r.Urn))
            {
                Node(child, depth + 1);
            }
        }

        Node(plan.Root, 0);

        o.AppendLine();
        o.AppendLine("Outputs:");
        foreach (var output in plan.Outputs)
        {
            o.AppendLine($"  {output.Name}: {OutputText(output)}");
        }

        o.AppendLine();
        o.AppendLine("Admin instructions:");
        o.AppendLine();
        o.AppendLine(plan.AdminInstructions.TrimEnd());
        o.AppendLine();
        o.AppendLine("Worklytics instructions:");
        o.AppendLine();
        o.AppendLine(plan.WorklyticsInstructions.TrimEnd());
        o.AppendLine();
        o.AppendLine("Summary:");
        foreach (var (type, count) in plan.CountsByType)
        {
            o.AppendLine($"  {count,3} x {type}");
        }

        o.AppendLine($"  {plan.Resources.Count,3} resources in all");
        o.AppendLine($"  Longest dependency chain: {plan.LongestChain.Count} sequential steps");
        foreach (var urn in plan.LongestChain)
        {
            var r = plan.Resources.Single(x => x.Urn == urn);
            o.AppendLine($"    {r.Type}  {r.Name}");
        }

        return o.ToString();
    }

    private static string Markdown(Plan plan)
    {
        var o = new StringBuilder();
        o.AppendLine($"# Plan for stack `{plan.StackName}`");
        o.AppendLine();
        o.AppendLine($"From `{plan.StackFile}`: a preview under offline mocks; nothing is deployed. Values marked {PlanValue.UnknownText} are computed by the clouds; {PlanValue.SecretText} values are never shown.");
        foreach (var warning in plan.Warnings)
        {
            o.AppendLine();
            o.AppendLine($"> **Warning:** {warning}");
        }

        o.AppendLine();
        o.AppendLine("## Resource graph");
        o.AppendLine();
        o.AppendLine("```mermaid");
        o.Append(Mermaid(plan));
        o.AppendLine("```");
        o.AppendLine();
        o.AppendLine($"## Resources ({plan.Resources.Count})");
        o.AppendLine();
        o.AppendLine("| resource | type | inputs |");
        o.AppendLine("| --- | --- | --- |");
        void Row(PlannedResource r, int depth)
        {
            var name = new string('\u00A0', 4 * depth) + r.Name + (r.Protected ? " (protected)" : string.Empty);
            var inputs = string.Join("<br>", r.Inputs.Select(kv => $"`{kv.Key}`: {Cell(Short(kv.Value))}"));
            o.AppendLine($"| {Cell(name)} | `{r.Type}` | {inputs} |");
            foreach (var child in plan.Children(r.Urn))
            {
                Row(child, depth + 1);
            }
        }

        Row(plan.Root, 0);
        o.AppendLine();
        o.AppendLine("## Outputs");
        o.AppendLine();
        foreach (var output in plan.Outputs.Where(o => o.Name is not "adminInstructions" and not "worklyticsInstructions"))
        {
            o.AppendLine($"- `{output.Name}`: `{OutputText(output)}`");
        }

        o.AppendLine();
        o.AppendLine("## Summary");
        o.AppendLine();
        o.AppendLine("| type | count |");
        o.AppendLine("| --- | ---: |");
        foreach (var (type, count) in plan.CountsByType)
        {
            o.AppendLine($"| `{type}` | {count} |");
        }

        o.AppendLine($"| **all** | **{plan.Resources.Count}** |");
        o.AppendLine();
        o.AppendLine($"Longest dependency chain: **{plan.LongestChain.Count}** sequential steps: {string.Join(" → ", plan.LongestChain.Select(u => $"`{plan.Resources.Single(r => r.Urn == u).Name}`"))}.");
        o.AppendLine();
        o.AppendLine(ShiftHeadings(plan.AdminInstructions).TrimEnd());
        o.AppendLine();
        o.AppendLine(ShiftHeadings(plan.WorklyticsInstructions).TrimEnd());
        return o.ToString();
    }

    private static string Json(Plan plan)
    {
        var root = new JsonObject
        {
            ["stack"] = plan.StackName,
            ["stackFile"] = plan.StackFile,
            ["warnings"] = new JsonArray(plan.Warnings.Select(w => (JsonNode?)w).ToArray()),
            ["resources"] = new JsonArray(plan.Resources.OrderBy(r => r.Urn, StringComparer.Ordinal).Select(r => (JsonNode?)new JsonObject
            {
                ["urn"] = r.Urn,
                ["type"] = r.Type,
                ["name"] = r.Name,
                ["parent"] = r.ParentUrn,
                ["custom"] = r.Custom,
                ["protect"] = r.Protected,
                ["inputs"] = r.Inputs.DeepClone(),
                ["dependsOn"] = new JsonArray(r.DependsOn.Select(d => (JsonNode?)d).ToArray()),
            }).ToArray()),
            ["outputs"] = new JsonObject(plan.Outputs.Select(o => KeyValuePair.Create(o.Name, o.Value?.DeepClone()))),
            ["adminInstructions"] = plan.AdminInstructions,
            ["worklyticsInstructions"] = plan.WorklyticsInstructions,
            ["summary"] = new JsonObject
            {
                ["resources"] = plan.Resources.Count,
                ["byType"] = new JsonObject(plan.CountsByType.Select(t => KeyValuePair.Create(t.Type, (JsonNode?)t.Count))),
                ["longestChain"] = new JsonArray(plan.LongestChain.Select(u => (JsonNode?)u).ToArray()),
                ["longestChainSteps"] = plan.LongestChain.Count,
            },
        };
        return root.ToJsonString(Indented) + Environment.NewLine;
    }

    /// <summary>The resource graph: components as nested boxes, cloud resources as nodes, arrows for "needs".</summary>
    private static string Mermaid(Plan plan)
    {
        var ids = plan.Resources.Select((r, i) => (r.Urn, Id: $"r{i}")).ToDictionary(x => x.Urn, x => x.Id);
        var o = new StringBuilder();
        o.AppendLine("flowchart LR");
        void Box(PlannedResource r, int depth)
        {
            var indent = new string(' ', 2 + (2 * depth));
            var label = $"{ShortType(r.Type)}<br/>{r.Name}";
            if (r.Custom)
            {
                o.AppendLine($"{indent}{ids[r.Urn]}[\"{Escape(label)}\"]");
            }

            var children = plan.Children(r.Urn).ToList();
            if (children.Count == 0)
            {
                return;
            }

            if (r.Custom)
            {
                foreach (var child in children)
                {
                    Box(child, depth);
                }

                return;
            }

            var isRoot = r.ParentUrn is null;
            if (!isRoot)
            {
                o.AppendLine($"{indent}subgraph {ids[r.Urn]}[\"{Escape(label)}\"]");
            }

            foreach (var child in children)
            {
                Box(child, isRoot ? depth : depth + 1);
            }

            if (!isRoot)
            {
                o.AppendLine($"{indent}end");
            }
        }

        Box(plan.Root, 0);
        foreach (var r in plan.Resources.Where(r => r.Custom).OrderBy(r => r.Urn, StringComparer.Ordinal))
        {
            foreach (var dependency in r.DependsOn)
            {
                o.AppendLine($"  {ids[dependency]} --> {ids[r.Urn]}");
            }
        }

        return o.ToString();
    }

    private static string OutputText(PlannedOutput output) => output.Value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && s.Contains('\n', StringComparison.Ordinal) => "(Markdown, below)",
        var node => Short(node),
    };

    private static string Short(JsonNode? value)
    {
        var text = value switch
        {
            _ when PlanValue.IsUnknown(value) => PlanValue.UnknownText,
            _ when PlanValue.IsSecret(value) => PlanValue.SecretText,
            JsonValue v when v.TryGetValue<string>(out var s) => JsonSerializer.Serialize(s, Compact),
            _ => PlanValue.ForPeople(value)?.ToJsonString(Compact) ?? "null",
        };
        return text.Length > 160 ? text[..160] + "…" : text;
    }

    /// <summary>A type token without its module's file part, e.g. <c>aws:lambda:Function</c>.</summary>
    public static string ShortType(string type)
    {
        // aws:lambda/function:Function -> aws:lambda:Function; psoxy:gcp:Host stays.
        var parts = type.Split(':');
        return parts.Length == 3 && parts[1].Contains('/', StringComparison.Ordinal) ? $"{parts[0]}:{parts[1].Split('/')[0]}:{parts[2]}" : type;
    }

    private static string Escape(string label) => label.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    // The instructions are whole documents; below the plan's own title their headings go one level down.
    private static string ShiftHeadings(string markdown) =>
        string.Join('\n', markdown.Split('\n').Select(line => line.StartsWith('#') ? "#" + line : line));
}
