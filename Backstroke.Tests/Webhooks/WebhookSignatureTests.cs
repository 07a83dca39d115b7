using System.Text;
using Backstroke.Webhooks;

namespace Backstroke.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // GitHub's documented test vector (github-contract/README.md).
    private const string Secret = "It's a Secret to Everybody";
    private const string Header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void GitHubs_documented_test_vector_verifies()
    {
        WebhookSignature.IsValid(Secret, Body, Header).Should().BeTrue();
        WebhookSignature.Sign(Secret, Body).Should().Be(Header);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void A_missing_or_wrong_signature_is_refused(string? header)
    {
        WebhookSignature.IsValid(Secret, Body, header).Should().BeFalse();
    }

    [Fact]
    public void The_signature_of_another_body_or_secret_is_refused()
    {
        WebhookSignature.IsValid(Secret, Encoding.UTF8.GetBytes("Hello, World?"), Header).Should().BeFalse();
        WebhookSignature.IsValid("another secret", Body, Header).Should().BeFalse();
        WebhookSignature.IsValid("", Body, WebhookSignature.Sign("", Body)).Should().BeFalse("without a secret nothing can be verified");
    }
}
