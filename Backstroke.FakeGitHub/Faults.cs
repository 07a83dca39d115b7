using System.Text.RegularExpressions;

namespace Backstroke.FakeGitHub;

/// <summary>
/// A scripted failure: requests matching <see cref="Method"/> and <see cref="PathPattern"/> (a glob where * matches
/// anything, "/" included) answer <see cref="Status"/> before the real handler runs, so a 5xx never changes state.
/// Status 0 only adds <see cref="DelayMs"/>. <see cref="Count"/> limits how often it fires (null: forever).
/// </summary>
internal sealed record FaultRule
{
    public string? Method { get; init; }
    public string PathPattern { get; init; } = "*";
    public int Status { get; init; }
    public double Probability { get; init; } = 1.0;
    public int DelayMs { get; init; }
    public int? Count { get; init; }
    public string? Message { get; init; }
    public int? RetryAfterSeconds { get; init; }
}

internal sealed class FaultTable
{
    private readonly Lock _gate = new();
    private readonly List<(FaultRule Rule, Regex Path, int Left)> _rules = [];

    public void Add(FaultRule rule)
    {
        var regex = new Regex("^" + Regex.Escape(rule.PathPattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        lock (_gate)
        {
            _rules.Add((rule, regex, rule.Count ?? int.MaxValue));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return _rules.Select(r => r.Rule).ToList();
            }
        }
    }

    /// <summary>The first rule that fires for this request, consuming one of its shots.</summary>
    public FaultRule? Match(string method, string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var (rule, regex, left) = _rules[i];
                if ((rule.Method is null || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                    && regex.IsMatch(path) && Random.Shared.NextDouble() < rule.Probability)
                {
                    if (left <= 1)
                    {
                        _rules.RemoveAt(i);
                    }
                    else
                    {
                        _rules[i] = (rule, regex, left - 1);
                    }

                    return rule;
                }
            }

            return null;
        }
    }
}
