using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Planning;

/// <summary>The Pulumi ESC environments a stack file imports, and their values when given.</summary>
internal sealed partial class StackFile
{
    /// <summary>The Pulumi ESC environments of the file's <c>environment:</c>, in order; empty when it imports none.</summary>
    public IReadOnlyList<string> EnvironmentImports { get; private init; } = [];

    /// <summary>
    /// This configuration with the values of opened ESC environments merged in as Pulumi merges them: a key the
    /// stack file sets keeps the stack file's value; the others come from the environments.
    /// </summary>
    public StackFile WithEnvironmentValues(EnvironmentValues environment)
    {
        var values = new Dictionary<string, string>(environment.Values, StringComparer.Ordinal);
        var secrets = new HashSet<string>(environment.SecretKeys.Where(k => !Values.ContainsKey(k)), StringComparer.Ordinal);
        foreach (var (key, value) in Values)
        {
            values[key] = value;
        }

        secrets.UnionWith(SecretKeys);
        return new StackFile(values, secrets) { EnvironmentImports = EnvironmentImports };
    }

    /// <summary>The warning of a plan whose imported environments were not given: it names them and what it cannot check.</summary>
    public string UnresolvedEnvironmentsWarning(IReadOnlyCollection<string> uncheckedKeys)
    {
        var names = string.Join(", ", EnvironmentImports);
        var warning = $"This stack imports the Pulumi ESC environment{(EnvironmentImports.Count == 1 ? string.Empty : "s")} {names}: "
            + $"{(EnvironmentImports.Count == 1 ? "its" : "their")} values are not resolved offline, so this plan shows only the stack file's (an environment may supply any key the stack file does not set, such as the salt or the tenant). "
            + $"To plan exactly, run `esc env open <environment> --format json > env.json` and plan with --environment-values env.json.";
        return uncheckedKeys.Count == 0
            ? warning
            : warning + $" Not set in the stack file, so not checked (the environments may supply them): {string.Join(", ", uncheckedKeys.Select(ConfigKeys.Full))}.";
    }
}
