using Psoxy.Infra;
using Psoxy.Infra.Cli;
using Pulumi;

// With no arguments this is the Pulumi program, as `pulumi up` and `pulumi preview` run it; with a command (`plan`,
// `--help`...) it is the command line.
if (args.Length > 0)
{
    if (StandardStreams.InputIsClosed())
    {
        // Reading `-` then fails at once instead of waiting forever.
        Console.SetIn(new StandardStreams.ClosedInput());
    }

    var output = CommandOutput.Console();
    var exit = await PsoxyCommandLine.RunAsync(args, output);
    if (output.OutputFailed)
    {
        await output.Error.WriteLineAsync("psoxy: standard output is closed or was closed while writing, so the results were not all written; give it somewhere to go (a terminal, a file, a pipe).");
        return ExitCodes.Failure;
    }

    return exit;
}

if (!PulumiEngine.IsPresent(Environment.GetEnvironmentVariable))
{
    await Console.Error.WriteLineAsync(PulumiEngine.MissingMessage);
    return ExitCodes.Failure;
}

return await Deployment.RunAsync<PsoxyStack>();
