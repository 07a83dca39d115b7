using System.Security.Cryptography;
using System.Text;

namespace Backstroke.FakeGitHub.Model;

/// <summary>One commit of the shared graph. Parents are indexes into the graph, so a commit costs a few words.</summary>
/// <remarks><see cref="WorkflowPath"/> is the first file under .github/workflows/ the commit touches, if any.</remarks>
internal readonly record struct CommitNode(string Sha, string TreeSha, int[] Parents, string Message, DateTimeOffset Date, string Author, int Generation, string? WorkflowPath = null);

/// <summary>
/// Every commit of every repository lives in one graph: forks share their parent's commits by index, so a fork
/// network needs no copying and compare/fast-forward answers are computed from real ancestry.
/// Not thread-safe on its own; <see cref="FakeGitHubState"/> guards it.
/// </summary>
internal sealed class CommitGraph
{
    private readonly List<CommitNode> _nodes = [];
    private readonly Dictionary<string, int> _bySha = new(StringComparer.Ordinal);

    public int Count => _nodes.Count;

    public CommitNode this[int index] => _nodes[index];

    public int Add(int[] parents, string message, DateTimeOffset date, string author, string? workflowPath = null)
    {
        var generation = 1;
        foreach (var p in parents)
        {
            generation = Math.Max(generation, _nodes[p].Generation + 1);
        }

        // The sha only has to be unique and stable-looking; hashing the position keeps it unique.
        var seed = $"{_nodes.Count}\n{string.Join(',', parents)}\n{message}";
        var sha = Hex(SHA1.HashData(Encoding.UTF8.GetBytes(seed)));
        var tree = Hex(SHA1.HashData(Encoding.UTF8.GetBytes("tree\n" + seed)));
        _nodes.Add(new CommitNode(sha, tree, parents, message, date, author, generation, workflowPath));
        _bySha[sha] = _nodes.Count - 1;
        return _nodes.Count - 1;
    }

    public bool TryFind(string sha, out int index) => _bySha.TryGetValue(sha.ToLowerInvariant(), out index);

    /// <summary>True when <paramref name="ancestor"/> is reachable from <paramref name="descendant"/> (inclusive).</summary>
    public bool IsAncestor(int ancestor, int descendant)
    {
        if (ancestor == descendant)
        {
            return true;
        }

        var floor = _nodes[ancestor].Generation;
        var stack = new Stack<int>();
        var seen = new HashSet<int>();
        stack.Push(descendant);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            if (c == ancestor)
            {
                return true;
            }

            // A commit of lower or equal generation cannot have the ancestor behind it: prune.
            if (_nodes[c].Generation <= floor || !seen.Add(c))
            {
                continue;
            }

            foreach (var p in _nodes[c].Parents)
            {
                stack.Push(p);
            }
        }

        return false;
    }

    public HashSet<int> Reachable(int from)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            if (seen.Add(c))
            {
                foreach (var p in _nodes[c].Parents)
                {
                    stack.Push(p);
                }
            }
        }

        return seen;
    }

    /// <summary>Commits reachable from <paramref name="head"/> but not from <paramref name="exclude"/>, oldest first.</summary>
    public List<int> Only(int head, int? exclude)
    {
        var headSet = Reachable(head);
        if (exclude is { } ex)
        {
            headSet.ExceptWith(Reachable(ex));
        }

        var list = headSet.ToList();
        list.Sort((a, b) => _nodes[a].Generation != _nodes[b].Generation ? _nodes[a].Generation.CompareTo(_nodes[b].Generation) : a.CompareTo(b));
        return list;
    }

    /// <summary>The first workflow file touched by a commit reachable from <paramref name="head"/> but not from <paramref name="exclude"/>.</summary>
    public string? WorkflowChange(int head, int? exclude)
    {
        foreach (var c in Only(head, exclude))
        {
            if (_nodes[c].WorkflowPath is { } path)
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The best common ancestor: the common commit of highest generation.</summary>
    public int? MergeBase(int a, int b)
    {
        var common = Reachable(a);
        common.IntersectWith(Reachable(b));
        return common.Count == 0 ? null : common.MaxBy(c => (_nodes[c].Generation, c));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
