namespace Psoxy.Infra.Configuration;

/// <summary>
/// Pulumi's rules for stack names, so the plan refuses a name `pulumi stack init` / `pulumi up` would refuse: a stack
/// is <c>stack</c>, <c>org/stack</c> or <c>org/project/stack</c>; each part is letters, digits, '-', '_' and '.', and
/// a stack or project name has at most 100 characters (Pulumi's backends: "stack names are limited to 100 characters
/// and may only contain alphanumeric, hyphens, underscores, or periods"). Its stack file is named after the last part.
/// </summary>
internal static class StackNames
{
    public const int MaxLength = 100;

    public const string Forms = "stack, org/stack or org/project/stack";

    /// <summary>The stack's own name: the last part of <c>org/project/stack</c>, which names its stack file.</summary>
    public static string Short(string name) => name[(name.LastIndexOf('/') + 1)..];

    /// <summary>Why Pulumi would refuse <paramref name="name"/> in project <paramref name="project"/>; null when it accepts it.</summary>
    public static string? Problem(string name, string project)
    {
        var parts = name.Split('/');
        if (parts.Length > 3)
        {
            return $"it has {parts.Length - 1} slashes; allowed forms: {Forms}";
        }

        if (parts.Any(p => p.Length == 0))
        {
            return parts.Length == 1 ? "it is empty" : $"a part between slashes is empty; allowed forms: {Forms}";
        }

        foreach (var part in parts)
        {
            if (part.FirstOrDefault(c => !IsNameCharacter(c)) is var bad && bad != default)
            {
                return $"it holds {Describe(bad)}; a stack name may hold only letters, digits, hyphens, underscores and periods (e.g. dev, prod-eu)";
            }
        }

        var stack = parts[^1];
        if (stack.Length > MaxLength)
        {
            return $"the stack name has {stack.Length} characters; Pulumi allows at most {MaxLength}";
        }

        if (parts.Length == 3 && parts[1] != project)
        {
            return parts[1].Length > MaxLength
                ? $"the project name has {parts[1].Length} characters; Pulumi allows at most {MaxLength}"
                : $"it names the project '{parts[1]}', but this project is '{project}' (Pulumi.yaml: name: {project}); write {parts[0]}/{project}/{stack}";
        }

        return null;
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '\t' => "a tab",
        _ when char.IsControl(c) => $"the control character U+{(int)c:X4}",
        _ => $"'{c}'",
    };
}
