using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;

namespace ComplianceHub.Web.Cli;

/// <summary><c>create-admin --email &lt;email&gt; --password &lt;password&gt; [--name &lt;display name&gt;]</c></summary>
internal sealed class CreateAdminCommand : ICliCommand
{
    public string Verb => "create-admin";
    public string Summary => "Create an Administrator account (first start on a server without demo data).";
    public string Usage => "create-admin --email <email> --password <password> [--name <display name>] [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = ["email", "password", "name"];
    public IReadOnlyList<string> Flags { get; } = [];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        var email = args.Required("email").Trim();
        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email))
        {
            throw new CliUsageException($"'{email}' is not an e-mail address");
        }

        var request = new CreateUserRequest
        {
            Email = email,
            DisplayName = args.Value("name") ?? email,
            Password = args.Required("password"),
            Roles = [Roles.Administrator],
        };
        var userId = await context.Get<UserAdministrationService>()
            .CreateUserAsync(request, AuditActor.CommandLine, ct);

        if (args.Json)
        {
            await context.WriteJsonAsync(new { userId, email, roles = new[] { Roles.Administrator } });
        }
        else
        {
            await context.Out.WriteLineAsync($"Created administrator {email} (user id {userId}).");
        }

        return 0;
    }
}
