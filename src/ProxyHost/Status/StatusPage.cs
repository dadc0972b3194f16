using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FingerprintProxy.Configuration;
using FingerprintProxy.Proxy;
using FingerprintProxy.Viewer;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Status;

/// <summary>
/// <c>GET /&lt;behavior&gt;/status</c>: the proxy's version and the state and source of every setting, as
/// HTML (strict nonce-based CSP) or, with <c>?format=json</c>, as JSON for monitoring. Never shows the
/// proxy secret's value. Other methods get 405.
/// </summary>
internal sealed class StatusPage
{
    private readonly ProxyOptions _options;
    private readonly IRuntimeSettingsSource? _runtimeSource;
    private readonly IViewerContextResolver _viewer;
    private readonly OriginVerifier _originVerifier;

    public StatusPage(IOptions<ProxyOptions> options, IEnumerable<IRuntimeSettingsSource> runtimeSources, IViewerContextResolver viewer, OriginVerifier originVerifier)
    {
        _originVerifier = originVerifier;
        _options = options.Value;
        _runtimeSource = runtimeSources.FirstOrDefault();
        _viewer = viewer;
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
        var warnings = new List<string>();
        if (settings.PreSharedSecret is null)
        {
            warnings.Add($"{SettingKeys.PreSharedSecret} is not set: identification requests carry no FPJS-Proxy-Secret, so Fingerprint will not trust the forwarded client IP.");
        }

        var state = _runtimeSource?.State;
        if (state?.LastError is { } lastError)
        {
            warnings.Add($"{_runtimeSource!.Name}: {lastError}");
        }

        SettingReport[] rows =
        [
            Setting(settings, SettingKeys.PreSharedSecret, settings.PreSharedSecret is not null, value: null, hasDefault: false),
            Setting(settings, SettingKeys.BehaviorPath, true, settings.BehaviorPath),
            Setting(settings, SettingKeys.AgentDownloadPath, true, settings.AgentDownloadPath),
            Setting(settings, SettingKeys.GetResultPath, true, settings.GetResultPath),
            Setting(settings, SettingKeys.IngressBaseUrl, true, settings.Ingress.Us),
            Setting(settings, SettingKeys.SecretName, !string.IsNullOrEmpty(_options.SecretName), _options.SecretName, hasDefault: false),
            Setting(settings, SettingKeys.SecretRegion, !string.IsNullOrEmpty(_options.SecretRegion), _options.SecretRegion, hasDefault: false),
            Setting(settings, SettingKeys.ViewerContext, true, _viewer.Mode),
            Setting(settings, SettingKeys.OriginVerifySecret, settings.OriginVerifySecrets.Count > 0, value: null, hasDefault: false),
        ];

        var store = _runtimeSource is null || state is null
            ? new SecretStoreReport(Enabled: false)
            : new SecretStoreReport(true, _runtimeSource.Name, state.Target, state.Loaded, state.LastSuccess, state.LastAttempt, state.LastError, state.LastErrorAt);

        return new StatusReport("Fingerprint Pro proxy for AWS", integration.Version,
            new IntegrationReport(integration.Name, integration.Version, integration.Value), _viewer.Mode,
            new OriginVerificationReport(settings.OriginVerifySecrets.Count > 0, _originVerifier.HeaderName, settings.OriginVerifySecrets.Count), rows, store, warnings);
    }

    private static SettingReport Setting(ProxySettings settings, string key, bool hasValue, string? value, bool hasDefault = true)
    {
        var source = settings.SourceOf(key);
        var isSet = source != SettingSource.Default && hasValue;
        var state = isSet ? "set" : hasDefault ? "default" : "missing";
        return new SettingReport(key, isSet, state, SourceName(isSet ? source : SettingSource.Default), value);
    }

    internal static string SourceName(SettingSource source) => source switch
    {
        SettingSource.Environment => "environment",
        SettingSource.File => "appsettings.json",
        SettingSource.CommandLine => "command line",
        SettingSource.SecretsManager => "Secrets Manager",
        SettingSource.Other => "other",
        _ => "default",
    };

    private static string RenderHtml(StatusReport report, string nonce)
    {
        static string E(string? value) => WebUtility.HtmlEncode(value ?? string.Empty);

        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\">")
            .Append("<title>").Append(E(report.Name)).Append(" status</title>")
            .Append("<style nonce=\"").Append(nonce).Append("\">")
            .Append("body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d1d1f}")
            .Append("table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd}")
            .Append(".set{color:#116611}.missing{color:#aa2200}.default{color:#555}.warn{background:#fff4e0;padding:.5rem 1rem;border-left:4px solid #e08a00}")
            .Append("code{font-family:ui-monospace,monospace}</style></head><body>")
            .Append("<h1>").Append(E(report.Name)).Append("</h1>")
            .Append("<p>Version <code>").Append(E(report.Version)).Append("</code> · integration <code>")
            .Append(E(report.Integration.Ii)).Append("</code> · viewer context <code>").Append(E(report.ViewerContext)).Append("</code> · origin verification ")
            .Append(report.OriginVerification.Enabled ? "on (<code>" + E(report.OriginVerification.Header) + "</code>)" : "off").Append("</p>");

        foreach (var warning in report.Warnings)
        {
            html.Append("<p class=\"warn\">").Append(E(warning)).Append("</p>");
        }

        html.Append("<h2>Settings</h2><table><thead><tr><th>Setting</th><th>State</th><th>Source</th><th>Value</th></tr></thead><tbody>");
        foreach (var setting in report.Settings)
        {
            html.Append("<tr><td><code>").Append(E(setting.Name)).Append("</code></td><td class=\"").Append(setting.State).Append("\">")
                .Append(setting.State).Append("</td><td>").Append(E(setting.Source)).Append("</td><td><code>")
                .Append(setting.Value is null ? (setting.IsSet ? "(hidden)" : string.Empty) : E(setting.Value))
                .Append("</code></td></tr>");
        }

        html.Append("</tbody></table><h2>Secret store</h2>");
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
                .Append("<tr><th>Last error</th><td>").Append(E(store.LastError)).Append(' ').Append(E(store.LastErrorAt?.ToString("u"))).Append("</td></tr>")
                .Append("</tbody></table>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }
}
