using Psoxy.Infra;
using Psoxy.Infra.Cli;
using Pulumi;

// With no arguments this is the Pulumi program, as `pulumi up` and `pulumi preview` run it; with a command (`plan`,
// `--help`...) it is the command line.
if (args.Length > 0)
{
    return await PsoxyCommandLine.RunAsync(args, CommandOutput.Console());
}

if (!PulumiEngine.IsPresent(Environment.GetEnvironmentVariable))
{
    await Console.Error.WriteLineAsync(PulumiEngine.MissingMessage);
    return ExitCodes.Failure;
}

return await Deployment.RunAsync<PsoxyStack>();
