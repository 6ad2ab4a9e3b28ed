using WorldModel.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
