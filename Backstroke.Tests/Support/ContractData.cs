namespace Backstroke.Tests.Support;

/// <summary>
/// Where the recorded GitHub contract data lives: env BACKSTROKE_GITHUB_CONTRACT, else ../shared/github-contract
/// beside the folder holding Backstroke.sln. Absent data skips contract tests with a visible reason, unless
/// BACKSTROKE_REQUIRE_CONTRACT=1 makes it a failure.
/// </summary>
internal static class ContractData
{
    public static string? Root { get; } = Find();

    public static bool Required => Environment.GetEnvironmentVariable("BACKSTROKE_REQUIRE_CONTRACT") == "1";

    public static string MissingReason =>
        Environment.GetEnvironmentVariable("BACKSTROKE_GITHUB_CONTRACT") is { Length: > 0 } configured
            ? $"GitHub contract data not found at BACKSTROKE_GITHUB_CONTRACT={configured}."
            : "GitHub contract data not found: set BACKSTROKE_GITHUB_CONTRACT or place it at ../shared/github-contract beside the repository.";

    /// <summary>The full path of a contract file; fails with a clear message when the data is missing.</summary>
    public static string PathOf(string relative) =>
        Root is { } root ? Path.Combine(root, relative) : throw new InvalidOperationException(MissingReason);

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("BACKSTROKE_GITHUB_CONTRACT");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        var beside = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "github-contract"));
        return Directory.Exists(beside) ? beside : null;
    }
}

/// <summary>A fact that needs the contract data: skipped (with the reason) when it is absent, unless required.</summary>
internal sealed class ContractFactAttribute : FactAttribute
{
    public ContractFactAttribute()
    {
        if (ContractData.Root is null && !ContractData.Required)
        {
            Skip = ContractData.MissingReason;
        }
    }
}
