using Herald.Cli;

return await HeraldCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
