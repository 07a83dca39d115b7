using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Backstroke.Hosting;

/// <summary>
/// Behind a reverse proxy that terminates TLS, the scheme and client address come from <c>X-Forwarded-Proto</c> and
/// <c>X-Forwarded-For</c>, so that session cookies are marked Secure. Only proxies on the loopback interface, or
/// those listed in <c>Backstroke:TrustedProxies</c>, are believed: anyone else could claim any address or scheme.
/// The host is not taken from the proxy: every absolute URL is built from <c>Backstroke:PublicUrl</c>.
/// </summary>
internal static class ProxyHeaders
{
    public static IServiceCollection AddProxyHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<BackstrokeOptions>>((forwarded, backstroke) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in backstroke.Value.TrustedProxies)
            {
                if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
                else if (IPAddress.TryParse(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }
        });
        return services;
    }

    public static IApplicationBuilder UseProxyHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    /// <summary>An IP address (<c>10.0.0.2</c>) or a network (<c>172.16.0.0/12</c>).</summary>
    public static bool IsAddressOrNetwork(string value) => IPAddress.TryParse(value, out _) || System.Net.IPNetwork.TryParse(value, out _);
}
