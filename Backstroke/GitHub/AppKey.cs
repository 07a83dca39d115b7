using System.Security.Cryptography;

namespace Backstroke.GitHub;

/// <summary>
/// The App's private key, from <c>GitHub:AppPrivateKey</c> (PEM) or the file <c>GitHub:AppPrivateKeyFile</c>. Problems
/// are sentences naming the setting, never its value: the key is a secret.
/// </summary>
internal static class AppKey
{
    public static IEnumerable<string> Problems(GitHubOptions options)
    {
        var hasKey = !string.IsNullOrWhiteSpace(options.AppPrivateKey);
        var hasFile = !string.IsNullOrWhiteSpace(options.AppPrivateKeyFile);
        if (!options.AppConfigured)
        {
            if (hasKey || hasFile)
            {
                yield return $"GitHub:AppId is missing while {(hasKey ? "GitHub:AppPrivateKey" : "GitHub:AppPrivateKeyFile")} is set; set both or neither.";
            }

            yield break;
        }

        // GitHub numbers its Apps; the JWT's issuer must be that number.
        if (!long.TryParse(options.AppId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            yield return $"GitHub:AppId must be the App's number, as shown on its settings page (got '{options.AppId}').";
        }

        if (hasKey && hasFile)
        {
            yield return "GitHub:AppPrivateKey and GitHub:AppPrivateKeyFile are both set; set only one.";
            yield break;
        }

        if (!hasKey && !hasFile)
        {
            yield return "GitHub:AppPrivateKey (or GitHub:AppPrivateKeyFile) is missing while GitHub:AppId is set.";
            yield break;
        }

        string? problem;
        try
        {
            using var key = Load(options);
            problem = null;
        }
        catch (IOException)
        {
            problem = $"GitHub:AppPrivateKeyFile names a file that cannot be read ('{options.AppPrivateKeyFile}').";
        }
        catch (UnauthorizedAccessException)
        {
            problem = $"GitHub:AppPrivateKeyFile names a file that cannot be read ('{options.AppPrivateKeyFile}').";
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            problem = $"{(hasKey ? "GitHub:AppPrivateKey" : $"The file named by GitHub:AppPrivateKeyFile ('{options.AppPrivateKeyFile}')")} is not an RSA private key in PEM form (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----).";
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }

    /// <summary>The key, parsed. Throws for a missing file or a value that is not an RSA private key.</summary>
    public static RSA Load(GitHubOptions options)
    {
        var pem = !string.IsNullOrWhiteSpace(options.AppPrivateKey) ? options.AppPrivateKey : File.ReadAllText(options.AppPrivateKeyFile!);
        // An environment variable often carries the PEM on one line with literal "\n" between its lines.
        pem = pem.Replace("\\n", "\n", StringComparison.Ordinal);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // A public key imports too, but cannot sign: refuse it now rather than at the first token.
            rsa.ExportParameters(includePrivateParameters: true);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}
