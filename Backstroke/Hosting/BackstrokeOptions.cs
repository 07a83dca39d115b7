using Microsoft.Extensions.Options;

namespace Backstroke.Hosting;

/// <summary>The <c>Backstroke</c> section.</summary>
internal sealed class BackstrokeOptions
{
    public const string Section = "Backstroke";

    /// <summary>The address users reach Backstroke at; trigger, status and OAuth callback URLs are built from it.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5000";

    /// <summary>Where the SQLite database and the Data Protection keys live. Relative paths start at the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>GitHub logins allowed to see the system page.</summary>
    public string[] Admins { get; set; } = [];

    /// <summary>Reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are believed, besides loopback.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// This instance's name in the queue's leases: the work it holds is recorded under it, and a restart under the same
    /// name takes back at once what the previous process left running. Unique per running instance. Empty: one kept in
    /// the data directory on SQLite, a new one at each start on PostgreSQL (see docs/architecture.md).
    /// </summary>
    public string? InstanceId { get; set; }

    public Uri PublicUri => new(PublicUrl.TrimEnd('/') + "/");

    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);

    /// <summary>An absolute URL for a path of this app, e.g. <c>/v1/operations/abc</c>.</summary>
    public string Url(string path) => PublicUrl.TrimEnd('/') + path;
}

internal sealed class BackstrokeOptionsValidator : IValidateOptions<BackstrokeOptions>
{
    public ValidateOptionsResult Validate(string? name, BackstrokeOptions options)
    {
        var failures = new List<string>();
        if (!Urls.IsHttpUrl(options.PublicUrl))
        {
            failures.Add($"Backstroke:PublicUrl must be an absolute http or https URL, such as https://backstroke.example.com (got '{options.PublicUrl}').");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Backstroke:DataDirectory must name a directory, such as ./data.");
        }
        else if (options.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Backstroke:DataDirectory is not a valid path (got '{options.DataDirectory}').");
        }

        foreach (var proxy in options.TrustedProxies.Where(p => !ProxyHeaders.IsAddressOrNetwork(p)))
        {
            failures.Add($"Backstroke:TrustedProxies must list IP addresses or networks, such as 10.0.0.2 or 172.16.0.0/12 (got '{proxy}').");
        }

        if (options.InstanceId is { Length: > 0 } instance && !IsInstanceId(instance))
        {
            failures.Add($"Backstroke:InstanceId must be 1 to 100 letters, digits, '.', '_', ':' or '-', unique to each running instance (got '{instance}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsInstanceId(string value) =>
        value.Length <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}

internal static class Urls
{
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
