using System.Text.RegularExpressions;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// The runtime settings <c>template.yaml</c> gives the Lambda function (its <c>DOTNET_*</c> environment
/// variables), so that the binary runs in Lambda mode here as it runs there.
/// </summary>
public static partial class FunctionEnvironment
{
    /// <summary>The <c>DOTNET_*</c> variables of the template's function, in the template's order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Runtime { get; } = Read(Path.Combine(AppContext.BaseDirectory, "template.yaml"));

    private static List<KeyValuePair<string, string>> Read(string template)
    {
        var variables = File.ReadLines(template)
            .Select(line => Variable().Match(line))
            .Where(match => match.Success)
            .Select(match => KeyValuePair.Create(match.Groups["name"].Value, match.Groups["value"].Value))
            .ToList();
        return variables.Count > 0 ? variables : throw new InvalidDataException($"{template} sets no DOTNET_* variable for the function.");
    }

    // `          DOTNET_GCgen0size: '600000'`: the template's only DOTNET_* keys are the function's variables.
    [GeneratedRegex(@"^\s+(?<name>DOTNET_[A-Za-z0-9_]+):\s*'?(?<value>[^'\s]*)'?\s*$")]
    private static partial Regex Variable();
}
