namespace Psoxy.Infra.Configuration;

/// <summary>One thing wrong with the stack configuration: which key, the value found and what is allowed.</summary>
internal sealed record ConfigProblem(string Key, string? Value, string Allowed)
{
    public override string ToString() =>
        Value is null
            ? $"{ConfigKeys.Full(Key)} is not set; {Allowed}"
            : $"{ConfigKeys.Full(Key)} = {Quote(Value)}: {Allowed}";

    private static string Quote(string value)
    {
        const int Max = 120;
        var shown = value.Length > Max ? value[..Max] + "…" : value;
        return $"'{shown}'";
    }
}

/// <summary>Thrown (wrapped in a Pulumi RunException by the stack) when the configuration is invalid.</summary>
internal sealed class InvalidConfigurationException(IReadOnlyList<ConfigProblem> problems)
    : Exception(Describe(problems))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;

    public static string Describe(IReadOnlyList<ConfigProblem> problems)
    {
        var header = problems.Count == 1
            ? "Invalid stack configuration (1 problem); nothing was created:"
            : $"Invalid stack configuration ({problems.Count} problems); nothing was created:";
        return header + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}"));
    }
}
