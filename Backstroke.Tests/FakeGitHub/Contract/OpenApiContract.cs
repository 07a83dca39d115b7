using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backstroke.Tests.Support;
using Json.Schema;

namespace Backstroke.Tests.FakeGitHub.Contract;

/// <summary>
/// Validates JSON against the schemas of openapi-subset.json. The subset is OpenAPI 3.0, whose "nullable: true"
/// JSON Schema does not know, so every schema is rewritten first: a typed schema gets "null" added to its type,
/// any other (a $ref, oneOf, allOf) is wrapped in anyOf [schema, null]. Component references are pointed at one
/// registered document of $defs.
/// </summary>
internal sealed class OpenApiContract
{
    private const string DefsId = "https://contract.backstroke.test/components";
    private static readonly Lazy<OpenApiContract> Shared = new(() => new OpenApiContract(ContractData.PathOf("openapi-subset.json")));
    private readonly JsonObject _document;
    private readonly BuildOptions _build;
    private readonly ConcurrentDictionary<string, JsonSchema> _cache = new();

    private OpenApiContract(string path)
    {
        _document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var defs = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = DefsId,
            ["$defs"] = Rewrite(_document["components"]!["schemas"]!.DeepClone()),
        };
        _build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema.Build(JsonSerializer.SerializeToElement(defs), _build, new Uri(DefsId));
    }

    public static OpenApiContract Instance => Shared.Value;

    public JsonObject Document => _document;

    /// <summary>The statuses the contract lists for an operation.</summary>
    public IReadOnlyCollection<string> Statuses(string method, string pathTemplate) =>
        Operation(method, pathTemplate)["responses"]!.AsObject().Select(kv => kv.Key).ToList();

    /// <summary>The JSON schema of a response body, or null when the contract gives that status no JSON body.</summary>
    public JsonSchema? ResponseSchema(string method, string pathTemplate, int status)
    {
        var response = Operation(method, pathTemplate)["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new InvalidOperationException($"{method} {pathTemplate} does not list status {status}.");
        response = Resolve(response);
        return response["content"]?["application/json"]?["schema"] is { } schema ? Build($"{method} {pathTemplate} {status}", schema) : null;
    }

    public JsonSchema RequestSchema(string method, string pathTemplate) =>
        Build($"{method} {pathTemplate} request", Resolve(Operation(method, pathTemplate)["requestBody"]!)["content"]!["application/json"]!["schema"]!);

    /// <summary>A schema of components/schemas by name, e.g. basic-error.</summary>
    public JsonSchema ComponentSchema(string name) =>
        Build("component " + name, new JsonObject { ["$ref"] = "#/components/schemas/" + name });

    public JsonSchema WebhookSchema(string evt) =>
        Build("webhook " + evt, _document["x-webhooks"]![evt]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);

    /// <summary>Null when valid, otherwise the failures, one per line, with where they are in the instance.</summary>
    public static string? Failures(JsonSchema schema, JsonElement instance)
    {
        // Formats (date-time, uri, email) are checked too; hierarchical output lets the report skip the branches
        // of a oneOf/anyOf that failed while another branch matched.
        EvaluationResults result;

        // Evaluation may resolve references into the shared registry; keep it to one thread at a time.
        lock (Shared)
        {
            result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        }

        if (result.IsValid)
        {
            return null;
        }

        var lines = new List<string>();
        Collect(result, lines);
        return lines.Count == 0 ? "invalid" : string.Join(Environment.NewLine, lines.Take(20));
    }

    private static void Collect(EvaluationResults node, List<string> lines)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            lines.Add($"{node.InstanceLocation} ({node.SchemaLocation}): {keyword} {message}");
        }

        foreach (var child in node.Details ?? [])
        {
            Collect(child, lines);
        }
    }

    private JsonObject Operation(string method, string pathTemplate) =>
        _document["paths"]![pathTemplate]?[method.ToLowerInvariant()]?.AsObject()
        ?? throw new InvalidOperationException($"The contract has no operation {method} {pathTemplate}.");

    private JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            var parts = reference.TrimStart('#', '/').Split('/');
            node = parts.Aggregate((JsonNode)_document, (n, p) => n[p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]!);
        }

        return node;
    }

    private int _built;

    // The registry is not meant for concurrent registration, and tests run in parallel.
    private JsonSchema Build(string key, JsonNode schema) => _cache.GetOrAdd(key, _ =>
    {
        lock (_cache)
        {
            return BuildLocked(key, schema);
        }
    });

    private JsonSchema BuildLocked(string key, JsonNode schema)
    {
        var root = Rewrite(schema.DeepClone()).AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        var id = "https://contract.backstroke.test/schemas/" + ++_built + "/" + Uri.EscapeDataString(key);
        root["$id"] = id;
        return JsonSchema.Build(JsonSerializer.SerializeToElement(root), _build, new Uri(id));
    }

    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = array[i] is null ? null : Rewrite(array[i]!.DeepClone());
                }

                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(kv => kv.Key).ToList())
                {
                    if (key is "example" or "examples" or "discriminator" or "xml" || key.StartsWith("x-", StringComparison.Ordinal))
                    {
                        obj.Remove(key);
                    }
                    else if (key == "$ref" && obj[key]!.GetValue<string>().StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        obj[key] = DefsId + "#/$defs/" + obj[key]!.GetValue<string>()["#/components/schemas/".Length..];
                    }
                    else if (obj[key] is { } child && key != "enum" && key != "required")
                    {
                        obj[key] = Rewrite(child.DeepClone());
                    }
                }

                return obj.Remove("nullable", out var nullable) && nullable?.GetValue<bool>() == true ? Nullable(obj) : obj;
            default:
                return node;
        }
    }

    private static JsonNode Nullable(JsonObject schema)
    {
        if (schema["type"] is JsonValue type && schema["enum"] is null)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
            return schema;
        }

        return new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
    }
}
