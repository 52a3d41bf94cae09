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

    public static string Render(Plan plan, PlanFormat format, PlanRenderOptions? options = null)
    {
        options ??= PlanRenderOptions.Plain;
        return format switch
        {
            PlanFormat.Text => Text(plan, new PlanText(options)),
            PlanFormat.Markdown => Markdown(plan, new PlanText(options with { Color = false })),
            PlanFormat.Json => Json(plan),
            PlanFormat.Mermaid => Mermaid(plan),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    private static string Text(Plan plan, PlanText text)
    {
        var o = new StringBuilder();
        o.AppendLine(text.Heading($"Plan for stack '{plan.StackName}' ({plan.StackFile})") + ": a preview under offline mocks; nothing is deployed.");
        foreach (var warning in plan.Warnings)
        {
            o.AppendLine($"{text.Warning("warning:")} {warning}");
        }

        foreach (var note in plan.Notes)
        {
            o.AppendLine($"note: {note}");
        }

        o.AppendLine();
        o.AppendLine(text.Heading($"Resources to create ({plan.Resources.Count}), by parent:"));
        void Node(PlannedResource r, int depth)
        {
            var indent = new string(' ', 2 + (2 * depth));
            o.AppendLine($"{indent}{text.Added("+")} {text.Type(r.Type)}  {r.Name}{(r.Protected ? "  " + text.Warning("[protected]") : string.Empty)}");
            var inputIndent = indent + "      ";
            foreach (var (key, value) in r.Shown)
            {
                o.AppendLine($"{inputIndent}{key}: {text.Value(value, inputIndent)}");
            }

            foreach (var child in plan.Children(r.Urn))
            {
                Node(child, depth + 1);
            }
        }

        Node(plan.Root, 0);

        o.AppendLine();
        o.AppendLine(text.Heading("Outputs:"));
        foreach (var output in plan.Outputs)
        {
            o.AppendLine($"  {output.Name}: {OutputText(output, text, "  ")}");
        }

        if (text.Instructions)
        {
            o.AppendLine();
            o.AppendLine(text.Heading("Admin instructions:"));
            o.AppendLine();
            o.AppendLine(plan.AdminInstructions.TrimEnd());
            o.AppendLine();
            o.AppendLine(text.Heading("Worklytics instructions:"));
            o.AppendLine();
            o.AppendLine(plan.WorklyticsInstructions.TrimEnd());
        }

        o.AppendLine();
        o.AppendLine(text.Heading("Summary:"));
        foreach (var (type, count) in plan.CountsByType)
        {
            o.AppendLine($"  {count,3} x {type}");
        }

        o.AppendLine($"  {plan.Resources.Count,3} resources in all");
        o.AppendLine($"  Longest dependency chain: {plan.LongestChain.Count} sequential steps");
        foreach (var urn in plan.LongestChain)
        {
            var r = plan.Resource(urn);
            o.AppendLine($"    {r.Type}  {r.Name}");
        }

        return o.ToString();
    }

    private static string Markdown(Plan plan, PlanText text)
    {
        var o = new StringBuilder();
        o.AppendLine($"# Plan for stack `{plan.StackName}`");
        o.AppendLine();
        o.AppendLine($"From `{plan.StackFile}`: a preview under offline mocks; nothing is deployed. Values shown as {PlanValue.UnknownText} are computed by the clouds; {PlanValue.SecretText} values are never shown.");
        foreach (var warning in plan.Warnings)
        {
            o.AppendLine();
            o.AppendLine($"> **Warning:** {warning}");
        }

        foreach (var note in plan.Notes)
        {
            o.AppendLine();
            o.AppendLine($"> **Note:** {note}");
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
        if (text.Compact)
        {
            o.AppendLine("| resource | type | inputs |");
            o.AppendLine("| --- | --- | --- |");
        }

        void Item(PlannedResource r, int depth)
        {
            var name = r.Name + (r.Protected ? " (protected)" : string.Empty);
            if (text.Compact)
            {
                var inputs = string.Join("<br>", r.Shown.Select(kv => $"`{kv.Key}`: {Cell(text.Value(kv.Value, string.Empty))}"));
                o.AppendLine($"| {Cell(new string('\u00A0', 4 * depth) + name)} | `{r.Type}` | {inputs} |");
            }
            else
            {
                var indent = new string(' ', 2 * depth);
                o.AppendLine($"{indent}- **{name}** `{r.Type}`");
                if (r.Shown.Count > 0)
                {
                    o.AppendLine();
                    o.AppendLine($"{indent}  ```");
                    foreach (var (key, value) in r.Shown)
                    {
                        o.AppendLine($"{indent}  {key}: {text.Value(value, indent + "  ")}");
                    }

                    o.AppendLine($"{indent}  ```");
                    o.AppendLine();
                }
            }

            foreach (var child in plan.Children(r.Urn))
            {
                Item(child, depth + 1);
            }
        }

        Item(plan.Root, 0);
        o.AppendLine();
        o.AppendLine("## Outputs");
        o.AppendLine();
        foreach (var output in plan.Outputs.Where(o => o.Name is not "adminInstructions" and not "worklyticsInstructions"))
        {
            o.AppendLine($"- `{output.Name}`:");
            o.AppendLine();
            o.AppendLine("  ```");
            o.AppendLine($"  {OutputText(output, text, "  ")}");
            o.AppendLine("  ```");
            o.AppendLine();
        }

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
        o.AppendLine($"Longest dependency chain: **{plan.LongestChain.Count}** sequential steps: {string.Join(" → ", plan.LongestChain.Select(u => $"`{plan.Resource(u).Name}`"))}.");
        if (text.Instructions)
        {
            o.AppendLine();
            o.AppendLine(ShiftHeadings(plan.AdminInstructions).TrimEnd());
            o.AppendLine();
            o.AppendLine(ShiftHeadings(plan.WorklyticsInstructions).TrimEnd());
        }

        return o.ToString();
    }

    /// <summary>
    /// For tools: the shape of <c>pulumi preview --json</c> (<c>steps</c> with <c>op</c>, <c>urn</c>, <c>type</c> and
    /// <c>newState</c>; <c>diagnostics</c>; <c>changeSummary</c>), plus the stack outputs and this program's own
    /// documents. Unknown values and secrets are Pulumi's special-value objects (see <see cref="PlanValue"/>).
    /// </summary>
    private static string Json(Plan plan)
    {
        var root = new JsonObject
        {
            ["stack"] = plan.StackName,
            ["stackFile"] = plan.StackFile,
            ["steps"] = new JsonArray([.. plan.Resources.Select(r => (JsonNode?)new JsonObject
            {
                ["op"] = "create",
                ["urn"] = r.Urn,
                ["type"] = r.Type,
                ["newState"] = new JsonObject
                {
                    ["urn"] = r.Urn,
                    ["type"] = r.Type,
                    ["custom"] = r.Custom,
                    ["parent"] = r.ParentUrn,
                    ["protect"] = r.Protected,
                    ["inputs"] = r.Inputs.DeepClone(),
                    ["dependencies"] = new JsonArray([.. r.DependsOn.Select(d => (JsonNode?)d)]),
                },
            })]),
            ["outputs"] = new JsonObject(plan.Outputs.Select(o => KeyValuePair.Create(o.Name, o.Value?.DeepClone()))),
            ["diagnostics"] = new JsonArray([
                .. plan.Warnings.Select(w => (JsonNode?)new JsonObject { ["severity"] = "warning", ["message"] = w }),
                .. plan.Notes.Select(n => (JsonNode?)new JsonObject { ["severity"] = "info", ["message"] = n }),
            ]),
            ["changeSummary"] = new JsonObject { ["create"] = plan.Resources.Count },
            ["summary"] = new JsonObject
            {
                ["byType"] = new JsonObject(plan.CountsByType.Select(t => KeyValuePair.Create(t.Type, (JsonNode?)t.Count))),
                ["longestChain"] = new JsonArray([.. plan.LongestChain.Select(u => (JsonNode?)u)]),
            },
            ["adminInstructions"] = plan.AdminInstructions,
            ["worklyticsInstructions"] = plan.WorklyticsInstructions,
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
            // The type token as every format spells it (the URN's): aws:lambda/function:Function.
            var label = $"{r.Type}<br/>{r.Name}";
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

    private static string OutputText(PlannedOutput output, PlanText text, string indent) => output.Value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && s.Contains('\n', StringComparison.Ordinal) => output.Name switch
        {
            "adminInstructions" or "worklyticsInstructions" when text.Instructions => "(Markdown, below)",
            "adminInstructions" or "worklyticsInstructions" => "(Markdown: left out by --no-instructions; --out writes it to a file)",
            _ => $"(Markdown: after deploy, `pulumi stack output {output.Name}`)",
        },
        var node => text.Value(node, indent),
    };

    private static string Escape(string label) => label.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    // The instructions are whole documents; below the plan's own title their headings go one level down.
    private static string ShiftHeadings(string markdown) =>
        string.Join('\n', markdown.Split('\n').Select(line => line.StartsWith('#') ? "#" + line : line));
}
