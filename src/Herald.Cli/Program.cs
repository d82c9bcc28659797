using Herald.Cli;

return await HeraldCommandLine.Parse(args).InvokeAsync().ConfigureAwait(false);
