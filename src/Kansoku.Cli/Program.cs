using System.CommandLine;
using Kansoku.Cli.Commands;

var root = new RootCommand("Kansoku (観測): Kubernetes logging and monitoring in one program.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
return await root.Parse(args).InvokeAsync();
