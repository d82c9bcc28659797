using Herald.Cli;

return await HeraldCommandLine.RunAsync(args).ConfigureAwait(false);
