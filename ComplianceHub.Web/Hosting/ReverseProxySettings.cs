using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// The TLS-terminating proxies the portal runs behind (<c>ReverseProxy:KnownProxies</c>: addresses;
/// <c>ReverseProxy:KnownNetworks</c>: CIDR ranges; comma-separated or as arrays). Only requests that come from one of
/// them have their <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> honoured: the client's address is then the one
/// the audit trail records, and HTTPS at the proxy makes the sign-in cookie <c>Secure</c> and sends HSTS. None
/// configured, forwarded headers are ignored, so no caller can claim another address.
/// </summary>
internal static class ReverseProxySettings
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Configures the forwarded-headers middleware from configuration; false when no proxy is configured.</summary>
    public static bool Configure(IServiceCollection services, IConfiguration configuration)
    {
        var proxies = Values(configuration, "KnownProxies").Select(text => IPAddress.TryParse(text, out var address)
            ? address
            : throw new InvalidOperationException($"{SectionName}:KnownProxies holds '{text}', which is not an IP address.")).ToList();
        var networks = Values(configuration, "KnownNetworks").Select(text => System.Net.IPNetwork.TryParse(text, out var network)
            ? network
            : throw new InvalidOperationException($"{SectionName}:KnownNetworks holds '{text}', which is not a CIDR range such as 10.0.0.0/8.")).ToList();
        if (proxies.Count == 0 && networks.Count == 0)
        {
            return false;
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only the configured ones: not even loopback by default.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
        return true;
    }

    private static IEnumerable<string> Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(SectionName).GetSection(key);
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        return values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
