namespace Psoxy.Infra.Cli;

/// <summary>Where a command writes, and whether it may use colour.</summary>
/// <param name="Out">Results (a plan, a report).</param>
/// <param name="Error">Messages about the run (problems, what was written where).</param>
/// <param name="Color">ANSI colour in results: for a terminal only, and never with NO_COLOR or TERM=dumb set.</param>
internal sealed record CommandOutput(TextWriter Out, TextWriter Error, bool Color)
{
    /// <summary>Standard input, for a file given as <c>-</c> (<c>plan --state -</c>).</summary>
    public TextReader In { get; init; } = System.Console.In;

    /// <summary>The process's console: colour when standard output is a terminal and NO_COLOR is not set (no-color.org).
    /// Closed or broken streams drop what is written to them (see <see cref="OutputFailed"/>) rather than crash.</summary>
    public static CommandOutput Console() => new(
        new StandardStreams.GuardedWriter(System.Console.Out),
        new StandardStreams.GuardedWriter(System.Console.Error),
        UseColor(isTerminal: !System.Console.IsOutputRedirected, noColor: Environment.GetEnvironmentVariable("NO_COLOR"), term: Environment.GetEnvironmentVariable("TERM")));

    /// <summary>Whether writing the results failed: standard output was closed or its reader went away.</summary>
    public bool OutputFailed => Out is StandardStreams.GuardedWriter { Failed: true };

    /// <summary>Colour only on a terminal, and not when NO_COLOR is set to anything nor on a dumb terminal (TERM=dumb: no escape sequences).</summary>
    public static bool UseColor(bool isTerminal, string? noColor, string? term = null) => isTerminal && string.IsNullOrEmpty(noColor) && term != "dumb";
}
