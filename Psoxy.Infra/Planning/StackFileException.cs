using System.Text;

namespace Psoxy.Infra.Planning;

/// <summary>
/// One thing wrong with a stack file: where (the file, and the line and column when known), which key when known, and
/// what is wrong and allowed. <see cref="Text"/> never holds a secret value.
/// </summary>
internal sealed record StackFileProblem(string File, int? Line, int? Column, string? Key, string Text)
{
    /// <summary>The offending line as written (secret values masked), with a caret under the column; null when none.</summary>
    public string? Excerpt { get; init; }

    /// <summary><c>file:line:column: text</c>, as compilers report, so editors can jump to it.</summary>
    public override string ToString()
    {
        var location = Line is null ? File : Column is null ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
        return $"{location}: {Text}";
    }
}

/// <summary>
/// The stack file cannot be read as a Pulumi stack file: it is missing, unreadable, not YAML, or its layout is wrong.
/// Lists every problem found, each naming the file (and line and column where known); it never carries a stack trace
/// worth showing, so callers print <see cref="Exception.Message"/> and stop.
/// </summary>
internal sealed class StackFileException : Exception
{
    /// <summary>Most problems listed in the message; the rest are counted.</summary>
    public const int MaxListed = 50;

    public StackFileException(string file, IReadOnlyList<StackFileProblem> problems)
        : base(Describe(file, problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>The stack file, as given.</summary>
    public string File { get; }

    public IReadOnlyList<StackFileProblem> Problems { get; }

    private static string Describe(string file, IReadOnlyList<StackFileProblem> problems)
    {
        var text = new StringBuilder();
        text.Append(problems.Count == 1
            ? $"{file} is not a valid stack file (1 problem); nothing was planned:"
            : $"{file} is not a valid stack file ({problems.Count} problems); nothing was planned:");
        foreach (var problem in problems.Take(MaxListed))
        {
            // The first line says what is wrong; the offending line follows it, then any example of the fix.
            var lines = problem.ToString().Split('\n', 2);
            text.Append(Environment.NewLine).Append("  - ").Append(lines[0]);
            if (problem.Excerpt is not null)
            {
                text.Append(Environment.NewLine).Append(Indent(problem.Excerpt, "      "));
            }

            if (lines.Length > 1)
            {
                text.Append(Environment.NewLine).Append(Indent(lines[1], "    "));
            }
        }

        if (problems.Count > MaxListed)
        {
            text.Append(Environment.NewLine).Append($"  … and {problems.Count - MaxListed} more problems of the same kinds.");
        }

        return text.ToString();
    }

    private static string Indent(string text, string indent) =>
        string.Join(Environment.NewLine, text.Split('\n').Select(line => indent + line));
}
