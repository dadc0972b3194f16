using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FingerprintProxy.Configuration;
using FingerprintProxy.Configuration.AwsSecretsManager;
using FingerprintProxy.Proxy;
using FingerprintProxy.Secrets;

namespace FingerprintProxy.Status;

/// <summary>
/// <c>GET /&lt;behavior&gt;/status</c>: the proxy's version and the state and source of every setting, as
/// HTML (strict nonce-based CSP) or, with <c>?format=json</c>, as JSON for monitoring. Never shows the
/// proxy secret's value. Other methods get 405.
/// </summary>
internal sealed class StatusPage
{
    private readonly IConfigurationRoot _configuration;
    private readonly ProxySettingsAccessor _settings;
    private readonly SecretsManagerConfigurationProvider? _secret;
    private readonly IgnoredSecretKeys? _ignoredSecretKeys;

    public StatusPage(IConfiguration configuration, ProxySettingsAccessor settings, IServiceProvider services)
    {
        _configuration = (IConfigurationRoot)configuration;
        _settings = settings;
        // Registered only when FPJS_SECRET_NAME is set.
        _secret = services.GetService<SecretsManagerConfigurationProvider>();
        _ignoredSecretKeys = services.GetService<IgnoredSecretKeys>();
    }

    public async Task WriteAsync(HttpContext context, ProxySettings settings)
    {
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await ProxyErrors.WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed.");
            return;
        }

        var report = Build(settings);
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        byte[] body;
        if (string.Equals(RawQuery.GetFirst(context.Request.QueryString.Value, "format"), "json", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "application/json; charset=utf-8";
            body = JsonSerializer.SerializeToUtf8Bytes(report, StatusJsonContext.Default.StatusReport);
        }
        else
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy =
                $"default-src 'none'; style-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            body = Encoding.UTF8.GetBytes(RenderHtml(report, nonce));
        }

        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body);
        }
    }

    internal StatusReport Build(ProxySettings settings)
    {
        var integration = ProxyIntegration.Info;
        var options = settings.Options;
        var warnings = new List<string>();
        if (settings.PreSharedSecret is null)
        {
            warnings.Add($"{SettingKeys.PreSharedSecret} is not set: identification requests carry no FPJS-Proxy-Secret, so Fingerprint will not trust the forwarded client IP.");
        }

        var verification = settings.OriginVerification;
        if (verification.Required && !verification.Enabled)
        {
            warnings.Add($"{SettingKeys.ViewerContext}={options.ViewerContext} trusts headers only the edge may set, and no {SettingKeys.OriginVerifySecret} is in force: every request is refused until one is.");
        }
        else if (options.ViewerContext != ViewerContextModes.Direct && !verification.Enabled)
        {
            warnings.Add($"{SettingKeys.ViewerContext}={options.ViewerContext} trusts the edge's viewer headers with no {SettingKeys.OriginVerifySecret}: only the Function URL's IAM authorization keeps other callers out.");
        }
        else if (options.ViewerContext == ViewerContextModes.Direct && ProxyOptionsValidator.IsLambda(_configuration))
        {
            warnings.Add($"{SettingKeys.ViewerContext}=direct on AWS Lambda: behind CloudFront the viewer IP sent to Fingerprint is CloudFront's, not the visitor's (use lambda-edge).");
        }

        if (_settings.LastRejection is { } rejection)
        {
            warnings.Add($"A settings change was refused at {rejection.At:u}; the previous settings stay in force: {rejection.Reason}");
        }

        var state = _secret?.State;
        if (state?.LastError is { } lastError)
        {
            warnings.Add($"Secrets Manager: {lastError}");
        }

        if (_ignoredSecretKeys?.Keys is { Count: > 0 } ignored)
        {
            warnings.Add($"The secret has keys that are not proxy settings, ignored (check the spelling): {string.Join(", ", ignored)}.");
        }

        var rows = new List<SettingReport>(SettingKeys.Catalog.Count);
        foreach (var setting in SettingKeys.Catalog)
        {
            var source = SettingSources.Find(_configuration, setting.Key, emptyIsAValue: setting.Key == SettingKeys.BehaviorPath);
            var isSet = source is not null;
            var settingState = isSet ? "set" : setting.Default is not null ? "default" : setting.Group == SettingGroup.Required ? "missing" : "not set";
            var value = setting.IsSecret ? null : ValueInForce(settings, setting.Key) ?? (isSet ? _configuration[setting.Key] : setting.Default);
            rows.Add(new SettingReport(setting.Key, setting.Group == SettingGroup.Required ? "required" : "optional", isSet, settingState, source ?? "default", value));
        }

        var store = state is null
            ? new SecretStoreReport(Enabled: false)
            : new SecretStoreReport(true, "AWS Secrets Manager", state.Target, state.Loaded, state.LastSuccess, state.LastAttempt, state.LastError, state.LastErrorAt, state.VersionId);

        return new StatusReport("Fingerprint Pro proxy for AWS", integration.Version,
            new IntegrationReport(integration.Name, integration.Version, integration.Value), options.ViewerContext,
            new OriginVerificationReport(verification.Enabled, verification.HeaderName, verification.Values.Count),
            _settings.AppliedAt, rows, store, warnings);
    }

    /// <summary>The value a non-secret proxy setting has in the snapshot in force (null for the others).</summary>
    private static string? ValueInForce(ProxySettings settings, string key) => key switch
    {
        SettingKeys.BehaviorPath => settings.Routes.BehaviorPath,
        SettingKeys.AgentDownloadPath => settings.Routes.AgentDownloadPath,
        SettingKeys.GetResultPath => settings.Routes.GetResultPath,
        SettingKeys.IngressBaseUrl => settings.Routes.Ingress.Global,
        SettingKeys.ViewerContext => settings.Options.ViewerContext,
        SettingKeys.OriginVerifyHeader => settings.OriginVerification.HeaderName,
        SettingKeys.ConnectTimeoutSeconds => Invariant(settings.Options.ConnectTimeoutSeconds),
        SettingKeys.ResponseTimeoutSeconds => Invariant(settings.Options.ResponseTimeoutSeconds),
        SettingKeys.MaxBodyBytes => settings.MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        SettingKeys.ShutdownDrainSeconds => settings.Options.ShutdownDrainSeconds is { } drain ? Invariant(drain) : null,
        _ => null,
    };

    private static string Invariant(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string RenderHtml(StatusReport report, string nonce)
    {
        static string E(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);

        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">")
            .Append("<title>").Append(E(report.Name)).Append(" status</title>")
            .Append("<style nonce=\"").Append(nonce).Append("\">")
            .Append("body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d1d1f}")
            .Append("table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd}")
            .Append(".set{color:#116611}.missing{color:#aa2200}.default,.not-set{color:#555}.warn{background:#fff4e0;padding:.5rem 1rem;border-left:4px solid #e08a00}")
            .Append("code{font-family:ui-monospace,monospace}</style></head><body>")
            .Append("<h1>").Append(E(report.Name)).Append("</h1>")
            .Append("<p>Version <code>").Append(E(report.Version)).Append("</code> · integration <code>")
            .Append(E(report.Integration.Ii)).Append("</code> · viewer context <code>").Append(E(report.ViewerContext)).Append("</code> · origin verification ")
            .Append(report.OriginVerification.Enabled ? "on (<code>" + E(report.OriginVerification.Header) + "</code>)" : "off")
            .Append(" · settings in force since ").Append(E(report.SettingsAppliedAt.ToString("u"))).Append("</p>");

        foreach (var warning in report.Warnings)
        {
            html.Append("<p class=\"warn\">").Append(E(warning)).Append("</p>");
        }

        foreach (var group in new[] { "required", "optional" })
        {
        html.Append("<h2>").Append(group == "required" ? "Required settings" : "Optional settings")
            .Append("</h2><table><thead><tr><th>Setting</th><th>State</th><th>Source</th><th>Value</th></tr></thead><tbody>");
        foreach (var setting in report.Settings.Where(s => s.Group == group))
        {
            html.Append("<tr><td><code>").Append(E(setting.Name)).Append("</code></td><td class=\"").Append(setting.State.Replace(' ', '-')).Append("\">")
                .Append(setting.State).Append("</td><td>").Append(E(setting.Source)).Append("</td><td><code>")
                .Append(setting.Value is null ? (setting.IsSet ? "(hidden)" : string.Empty) : E(setting.Value))
                .Append("</code></td></tr>");
        }

        html.Append("</tbody></table>");
        }

        html.Append("<h2>Secret store</h2>");
        var store = report.SecretStore;
        if (!store.Enabled)
        {
            html.Append("<p>Not used (set <code>FPJS_SECRET_NAME</code> to read settings from AWS Secrets Manager).</p>");
        }
        else
        {
            html.Append("<table><tbody>")
                .Append("<tr><th>Source</th><td>").Append(E(store.Name)).Append(" · <code>").Append(E(store.Target)).Append("</code></td></tr>")
                .Append("<tr><th>Loaded</th><td>").Append(store.Loaded ? "yes" : "no").Append("</td></tr>")
                .Append("<tr><th>Last refresh</th><td>").Append(E(store.LastRefresh?.ToString("u"))).Append("</td></tr>")
                .Append("<tr><th>Last attempt</th><td>").Append(E(store.LastAttempt?.ToString("u"))).Append("</td></tr>")
                .Append("<tr><th>Version</th><td><code>").Append(E(store.VersionId)).Append("</code></td></tr>")
                .Append("<tr><th>Last error</th><td>").Append(E(store.LastError)).Append(' ').Append(E(store.LastErrorAt?.ToString("u"))).Append("</td></tr>")
                .Append("</tbody></table>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }
}
