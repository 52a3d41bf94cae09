namespace Psoxy.Infra.Cli;

/// <summary>Where a command writes, and whether it may use colour.</summary>
/// <param name="Out">Results (a plan, a report).</param>
/// <param name="Error">Messages about the run (problems, what was written where).</param>
/// <param name="Color">ANSI colour in results: for a terminal only, and never with NO_COLOR set.</param>
internal sealed record CommandOutput(TextWriter Out, TextWriter Error, bool Color)
{
    /// <summary>The process's console: colour when standard output is a terminal and NO_COLOR is not set (no-color.org).</summary>
    public static CommandOutput Console() => new(
        System.Console.Out,
        System.Console.Error,
        Color: !System.Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));
}
