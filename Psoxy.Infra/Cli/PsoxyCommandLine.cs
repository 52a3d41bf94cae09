using System.CommandLine;
using System.CommandLine.Invocation;
using Psoxy.Infra.Verification;

namespace Psoxy.Infra.Cli;

/// <summary>
/// The program's command line (System.CommandLine): the commands an engineer runs around a deployment. With no
/// arguments the program is what the Pulumi CLI runs; see Program.cs.
/// </summary>
/// <summary>What the commands reach outside the process through: the real clouds and tools, or fakes in tests.</summary>
/// <param name="Verify">The <c>verify</c> command with its credential sources, stack outputs and standard input.</param>
internal sealed record CommandServices(VerifyCommand Verify)
{
    public static CommandServices Default() => new(VerifyCommand.CreateDefault());
}

internal static class PsoxyCommandLine
{
    /// <summary>Parses <paramref name="args"/> and runs the command; every outcome is an exit code and a message.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandOutput output, CommandServices? services = null, CancellationToken cancellationToken = default)
    {
        services ??= CommandServices.Default();
        var root = new RootCommand("Psoxy.Infra: stands up Psoxy's Microsoft 365 connectors with Pulumi. "
            + "Deploy with `pulumi up`; the commands below work offline, with no credentials.")
        {
            PlanCommand.Create(output),
            services.Verify.CreateCommand(output),
            MigrateCommand.Create(output),
        };

        // An argument starting with @ is a value (a path, a principal), never a response file.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction errors)
        {
            // The errors and suggestions, without the whole help text; one line after them says where help is.
            errors.ShowHelp = false;
            // System.CommandLine suggests far-off names ('--bogus': '--out'); only likely typos are suggested, below.
            errors.ShowTypoCorrections = false;
        }

        var exit = await parse.InvokeAsync(new InvocationConfiguration
        {
            // On a parse error everything written (the errors, the suggestions for misspellings) is for the error stream.
            Output = parse.Errors.Count > 0 ? output.Error : output.Out,
            Error = output.Error,
            // Failures are handled in each command; anything else is a bug, reported without a stack trace below.
            EnableDefaultExceptionHandler = false,
        }, cancellationToken).ConfigureAwait(false);

        // System.CommandLine reports parse errors (with suggestions) and exits 1; a wrong argument is invalid input.
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            foreach (var suggestion in Suggestions(parse.UnmatchedTokens, command))
            {
                await output.Error.WriteLineAsync(suggestion).ConfigureAwait(false);
            }

            await output.Error.WriteLineAsync($"Run with --help for the options{(command == root ? " and commands" : $" of '{command.Name}'")}.").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        return exit;
    }

    /// <summary>
    /// For each unmatched word, the option or command it is likely a typo of: within 2 edits (1 for names of up to 4
    /// letters, so that 'x' never suggests 'out'), dashes aside.
    /// </summary>
    private static IEnumerable<string> Suggestions(IEnumerable<string> unmatched, Command command)
    {
        var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var token in unmatched.Distinct(StringComparer.Ordinal))
        {
            var word = token.TrimStart('-').ToLowerInvariant();
            var closest = names
                .Select(n => (Name: n, Distance: Configuration.Spelling.EditDistance(n.TrimStart('-').ToLowerInvariant(), word)))
                .Where(c => c.Distance <= (c.Name.TrimStart('-').Length <= 4 ? 1 : 2))
                .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (closest.Name is { } name && word.Length > 1)
            {
                yield return $"'{token}': did you mean {name}?";
            }
        }
    }
}
