namespace Psoxy.Infra.Cli;

/// <summary>Where a command writes, and whether it may use colour.</summary>
/// <param name="Out">Results (a plan, a report).</param>
/// <param name="Error">Messages about the run (problems, what was written where).</param>
/// <param name="Color">ANSI colour in results: for a terminal only, and never with NO_COLOR set.</param>
internal sealed record CommandOutput(TextWriter Out, TextWriter Error, bool Color)
{
    /// <summary>Standard input, for a file given as <c>-</c> (<c>plan --state -</c>).</summary>
    public TextReader In { get; init; } = System.Console.In;

    /// <summary>The process's console: colour when standard output is a terminal and NO_COLOR is not set (no-color.org).</summary>
    public static CommandOutput Console() => new(
        System.Console.Out,
        System.Console.Error,
        UseColor(isTerminal: !System.Console.IsOutputRedirected, noColor: Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>Colour only on a terminal, and not when NO_COLOR is set to anything.</summary>
    public static bool UseColor(bool isTerminal, string? noColor) => isTerminal && string.IsNullOrEmpty(noColor);
}
