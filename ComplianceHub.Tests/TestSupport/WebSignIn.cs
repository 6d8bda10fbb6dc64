using System.Net;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Demo;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>Signing in over HTTP as a browser does: the sign-in form's hidden fields (antiforgery token, form name) posted back with the e-mail and password.</summary>
public static partial class WebSignIn
{
    /// <summary>Signs <paramref name="client"/> (which keeps cookies) in as <paramref name="email"/>; returns the form post's answer.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string returnUrl = "/", string password = DemoAccounts.Password)
    {
        var url = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var form = await client.GetStringAsync(url, TestContext.Current.CancellationToken);
        return await client.PostAsync(url, new FormUrlEncodedContent(LoginFields(form, email, password)), TestContext.Current.CancellationToken);
    }

    /// <summary>What the sign-in form posts: its hidden fields from <paramref name="html"/>, and the e-mail and password.</summary>
    public static List<KeyValuePair<string, string>> LoginFields(string html, string email, string password = DemoAccounts.Password)
    {
        var fields = HiddenInput().Matches(html).Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
        fields.ShouldContain(f => f.Key == "__RequestVerificationToken");
        fields.Add(new("Input.Email", email));
        fields.Add(new("Input.Password", password));
        return fields;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
