using Microsoft.Extensions.Options;

namespace FingerprintProxy.Telemetry;

/// <summary>
/// What the proxy emits about itself (<c>FPJS_LOG_FORMAT</c>, <c>FPJS_ACCESS_LOG</c>, <c>FPJS_METRICS_EMF</c>,
/// <c>FPJS_METRICS_NAMESPACE</c>). OpenTelemetry export is configured by the standard <c>OTEL_*</c> variables.
/// </summary>
internal sealed class TelemetryOptions
{
    public const string LogFormatKey = "FPJS_LOG_FORMAT";
    public const string AccessLogKey = "FPJS_ACCESS_LOG";
    public const string EmfKey = "FPJS_METRICS_EMF";
    public const string NamespaceKey = "FPJS_METRICS_NAMESPACE";
    public const string DefaultNamespace = "FingerprintProxy";

    /// <summary>
    /// <c>json</c> (one JSON object per line) or <c>text</c>; unset means <c>json</c> on AWS Lambda, where
    /// CloudWatch Logs Insights reads the fields, and <c>text</c> elsewhere.
    /// </summary>
    [ConfigurationKeyName(LogFormatKey)]
    public string? LogFormat { get; set; }

    /// <summary>One log line per request (method, route, region, statuses, durations, sizes). Off by default.</summary>
    [ConfigurationKeyName(AccessLogKey)]
    public bool AccessLog { get; set; }

    /// <summary>CloudWatch Embedded Metric Format lines on standard output; unset means on under AWS Lambda only.</summary>
    [ConfigurationKeyName(EmfKey)]
    public bool? Emf { get; set; }

    /// <summary>The CloudWatch namespace of the EMF metrics.</summary>
    [ConfigurationKeyName(NamespaceKey)]
    public string MetricsNamespace { get; set; } = DefaultNamespace;

    /// <summary>Whether logs are JSON lines, given where the process runs.</summary>
    public bool JsonLogs(bool onLambda) =>
        LogFormat is null ? onLambda : string.Equals(LogFormat.Trim(), "json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether EMF lines are written, given where the process runs.</summary>
    public bool EmfEnabled(bool onLambda) => Emf ?? onLambda;
}

/// <summary>Every telemetry setting error at once, each naming its setting.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        if (options.LogFormat is { } format
            && !string.Equals(format.Trim(), "json", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(format.Trim(), "text", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(TelemetryOptions.LogFormatKey + " must be json or text.");
        }

        // CloudWatch namespaces: 1-255 characters, no colon, not starting with "AWS/".
        var ns = options.MetricsNamespace;
        if (string.IsNullOrWhiteSpace(ns) || ns.Length > 255 || ns.Contains(':') || ns.StartsWith("AWS/", StringComparison.Ordinal))
        {
            errors.Add(TelemetryOptions.NamespaceKey + " must be 1 to 255 characters, without ':' and not starting with AWS/.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
