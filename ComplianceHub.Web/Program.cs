using ComplianceHub.Web.Cli;
using ComplianceHub.Web.Hosting;

// A known verb as the first argument runs the command line instead of the web server (style.md 5.1).
if (CliDispatcher.IsVerb(args))
{
    return await CliDispatcher.RunAsync(args, Console.Out, Console.Error);
}

var app = PortalApplication.Build(args);
await app.RunAsync();
return 0;
