namespace Backstroke.Webhooks;

/// <summary>The <c>Legacy</c> section: behaviours of the original Backstroke that are off by default.</summary>
internal sealed class LegacyOptions
{
    public const string Section = "Legacy";

    /// <summary>Accept the original "classic" webhooks: a GitHub push payload POSTed to <c>/</c>.</summary>
    public bool ClassicWebhooks { get; set; }
}
