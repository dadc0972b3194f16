using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace FingerprintProxy.Configuration.AwsSecretsManager;

/// <summary>
/// Turns the secret (one JSON object, UTF-8) into configuration keys the way JsonConfigurationProvider reads
/// a file: nested objects become <c>a:b</c>, arrays <c>a:0</c>, strings, numbers and booleans their text
/// (<c>True</c>/<c>False</c>, as JsonConfigurationProvider gives them), JSON null and empty objects or arrays
/// a null value. Keys are case-insensitive, and a key that appears twice rejects the secret. The secret is
/// accepted or rejected as a whole, and an error never quotes it: it gives a position or a (shortened) key.
/// </summary>
internal static class SecretJsonParser
{
    private const int MaxShownKeyLength = 64;

    /// <summary>Parses the secret's bytes (<c>SecretString</c> as UTF-8, or the decoded <c>SecretBinary</c>).</summary>
    /// <exception cref="SecretsManagerException">The secret is rejected (<see cref="SecretsManagerErrorKind.InvalidSecret"/>).</exception>
    public static Dictionary<string, string?> Parse(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(WithoutByteOrderMark(utf8Json));
        }
        catch (JsonException e)
        {
            // The parser's own message may quote the offending text, which is part of the secret: only the
            // position is kept, and the JsonException is not attached (a logged exception shows its inner ones).
            throw Rejected($"The secret is not valid JSON (error at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Rejected($"The secret must be a JSON object (key/value pairs in the console), but it is a JSON {Describe(root.ValueKind)}.");
            }

            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            try
            {
                Visit(root, prefix: null, data);
            }
            catch (InvalidOperationException)
            {
                // Names and strings are transcoded only when read: that is where invalid UTF-8 shows up.
                throw Rejected("The secret holds text that is not valid UTF-8.");
            }

            return data;
        }
    }

    /// <summary>A file uploaded with <c>--secret-string file://...</c> may start with a byte order mark.</summary>
    internal static ReadOnlyMemory<byte> WithoutByteOrderMark(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>A key as it may appear in an error or a log: at most 64 characters, control characters replaced.</summary>
    internal static string ShowKey(string key)
    {
        var shown = new StringBuilder(Math.Min(key.Length, MaxShownKeyLength) + 3);
        foreach (var c in key.Length > MaxShownKeyLength ? key.AsSpan(0, MaxShownKeyLength) : key)
        {
            shown.Append(char.IsControl(c) ? '?' : c);
        }

        return key.Length > MaxShownKeyLength ? shown.Append("...").ToString() : shown.ToString();
    }

    private static void Visit(JsonElement element, string? prefix, Dictionary<string, string?> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var emptyObject = true;
                foreach (var property in element.EnumerateObject())
                {
                    emptyObject = false;
                    Visit(property.Value, prefix is null ? property.Name : prefix + ConfigurationPath.KeyDelimiter + property.Name, data);
                }

                if (emptyObject && prefix is not null)
                {
                    Add(data, prefix, null);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, prefix + ConfigurationPath.KeyDelimiter + index.ToString(System.Globalization.CultureInfo.InvariantCulture), data);
                    index++;
                }

                if (index == 0)
                {
                    Add(data, prefix!, null);
                }

                break;
            case JsonValueKind.Null:
                Add(data, prefix!, null);
                break;
            default:
                // String: the unescaped text; number: as written; true/false: True/False.
                Add(data, prefix!, element.ToString());
                break;
        }
    }

    private static void Add(Dictionary<string, string?> data, string key, string? value)
    {
        if (!data.TryAdd(key, value))
        {
            throw Rejected($"Key '{ShowKey(key)}' appears more than once (keys are case-insensitive).");
        }
    }

    private static SecretsManagerException Rejected(string message) => new(SecretsManagerErrorKind.InvalidSecret, message);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };
}
