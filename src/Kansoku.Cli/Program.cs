using System.CommandLine;
using Kansoku.Cli.Commands;

var root = new RootCommand("Kansoku (観測): Kubernetes logging and monitoring in one program.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(ServerCommand.Create());
root.Subcommands.Add(TsdbCommand.Create());
root.Subcommands.Add(Kansoku.Cli.Commands.Logs.LogsCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
// The agent handles SIGTERM itself and bounds its own drain; System.CommandLine's handler would end the process after
// its timeout while the agent is still delivering.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
