using System.Text.Json;
using FingerprintProxy.Configuration;

namespace FingerprintProxy.Secrets;

/// <summary>
/// Reads the settings secret: one JSON object whose values are all strings, keyed by the setting names
/// (<c>FPJS_PRE_SHARED_SECRET</c>, <c>FPJS_BEHAVIOR_PATH</c>, ...; any letter case). The secret is accepted
/// or rejected as a whole, and an error never quotes the secret: it names the key and says what is wrong.
/// </summary>
internal static class SecretSettingsParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    /// <summary>Parses the secret's bytes (UTF-8 JSON, as in <c>SecretString</c> or decoded <c>SecretBinary</c>).</summary>
    public static SecretParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        // A file uploaded with --secret-string file://... may start with a byte order mark.
        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            // The parser's own message may quote the offending character, which is part of the secret:
            // only the position is reported.
            return SecretParseResult.Failure(
                $"The secret is not valid JSON (error at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}). It must be a JSON object such as {{\"{SettingKeys.PreSharedSecret}\": \"...\"}}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return SecretParseResult.Failure(
                    $"The secret must be a JSON object of string values (key/value pairs in the console), but it is a JSON {Describe(root.ValueKind)}.");
            }

            var errors = new List<string>();
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var ignored = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in root.EnumerateObject())
            {
                var key = property.Name;
                if (!seen.Add(key))
                {
                    errors.Add($"{Quote(key)} appears more than once (keys are case-insensitive).");
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    errors.Add($"{Quote(key)} must be a string, but it is a JSON {Describe(property.Value.ValueKind)}.");
                    continue;
                }

                var value = property.Value.GetString()!;
                if (IsHeaderValueKey(key) && !ProxyOptionsValidator.IsHeaderSafe(value))
                {
                    errors.Add($"{Quote(key)} must be printable ASCII without leading or trailing spaces: it is sent or compared as an HTTP header value.");
                    continue;
                }

                values[key] = value;
                if (!IsKnown(key))
                {
                    ignored.Add(key);
                }
            }

            return errors.Count > 0 ? new SecretParseResult(null, errors, []) : new SecretParseResult(values, [], ignored);
        }
    }

    private static bool IsKnown(string key)
    {
        foreach (var known in SettingKeys.Overridable)
        {
            if (string.Equals(key, known, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHeaderValueKey(string key)
    {
        foreach (var headerKey in ProxyOptionsValidator.HeaderValueKeys)
        {
            if (string.Equals(key, headerKey, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Key names are not secret, but they come from the secret's author: keep them short and printable.
    private static string Quote(string key)
    {
        var shown = key.Length > 64 ? key[..64] + "..." : key;
        return "Key '" + string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c)) + "'";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}

/// <summary>
/// The outcome of <see cref="SecretSettingsParser.Parse"/>: the values to apply, or the reasons the secret
/// is rejected. Its string form never contains a value.
/// </summary>
internal sealed class SecretParseResult
{
    public SecretParseResult(IReadOnlyDictionary<string, string>? values, IReadOnlyList<string> errors, IReadOnlyList<string> ignoredKeys)
    {
        Values = values;
        Errors = errors;
        IgnoredKeys = ignoredKeys;
    }

    /// <summary>Every key of the secret with its value (case-insensitive), or null when it is rejected.</summary>
    public IReadOnlyDictionary<string, string>? Values { get; }

    /// <summary>Why the secret is rejected, each message naming its key; empty when it is accepted.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Keys that are not proxy settings (ignored; a typo shows up here).</summary>
    public IReadOnlyList<string> IgnoredKeys { get; }

    public static SecretParseResult Failure(string error) => new(null, [error], []);

    public override string ToString() =>
        Values is null ? "Rejected: " + string.Join(" ", Errors) : $"{Values.Count} keys";
}
