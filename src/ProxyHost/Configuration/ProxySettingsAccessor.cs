using FingerprintProxy.Proxy;
using FingerprintProxy.Transforms;
using FingerprintProxy.Viewer;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;

namespace FingerprintProxy.Configuration;

/// <summary>
/// Turns every change of the proxy's options (a reloaded secret, above all) into the immutable
/// <see cref="ProxySettings"/> that requests route with: one reference read per request, no lock, no
/// allocation. Each change is bound and validated whole through the options pipeline; an invalid change is
/// refused, the snapshot in force stays, and the reason is kept for the status page and the log.
/// </summary>
internal sealed class ProxySettingsAccessor : IDisposable
{
    private const string ClusterId = "fingerprint";
    private const string ConnectTimeoutMetadata = "ConnectTimeoutSeconds";

    private readonly IOptionsFactory<ProxyOptions> _factory;
    private readonly ITransformBuilder _transforms;
    private readonly IForwarderHttpClientFactory _clients;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private readonly Lock _rebuild = new();
    private ProxySettings _current;
    private SettingsRejection? _lastRejection;

    public ProxySettingsAccessor(
        IOptionsFactory<ProxyOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<ProxyOptions>> changes,
        ITransformBuilder transforms,
        IForwarderHttpClientFactory clients,
        IConfiguration configuration,
        TimeProvider time,
        ILogger<ProxySettingsAccessor> logger)
    {
        _factory = factory;
        _transforms = transforms;
        _clients = clients;
        _configuration = configuration;
        _time = time;
        _logger = logger;

        // Throws OptionsValidationException with every error: start-up stops with the complete message.
        _current = Build(_factory.Create(Options.DefaultName), previous: null);
        AppliedAt = _time.GetUtcNow();
        _subscription = new CompositeDisposable(changes
            .Select(source => ChangeToken.OnChange(source.GetChangeToken, Rebuild))
            .ToArray());
    }

    /// <summary>The settings every request uses. Never null; replaced whole on a valid change.</summary>
    public ProxySettings Current => Volatile.Read(ref _current);

    /// <summary>When the snapshot in force was built.</summary>
    public DateTimeOffset AppliedAt { get; private set; }

    /// <summary>The last change that was refused, or null when the latest change is in force.</summary>
    public SettingsRejection? LastRejection => Volatile.Read(ref _lastRejection);

    private void Rebuild()
    {
        lock (_rebuild)
        {
            ProxyOptions options;
            try
            {
                options = _factory.Create(Options.DefaultName);
            }
            catch (OptionsValidationException e)
            {
                var reason = string.Join(" ", e.Failures);
                Volatile.Write(ref _lastRejection, new SettingsRejection(reason, _time.GetUtcNow()));
                Log.SettingsChangeRefused(_logger, reason);
                return;
            }
            catch (InvalidOperationException e)
            {
                // The binder's own failure (e.g. "abc" for a number): its message names the key, never a value of ours.
                Volatile.Write(ref _lastRejection, new SettingsRejection(e.Message, _time.GetUtcNow()));
                Log.SettingsChangeRefused(_logger, e.Message);
                return;
            }

            Volatile.Write(ref _current, Build(options, Current));
            Volatile.Write(ref _lastRejection, null);
            AppliedAt = _time.GetUtcNow();
            Log.SettingsApplied(_logger);
        }
    }

    private ProxySettings Build(ProxyOptions options, ProxySettings? previous)
    {
        var verifyValues = new List<string>(2);
        foreach (var value in new[] { options.OriginVerifySecret, options.OriginVerifySecretPrevious })
        {
            if (!string.IsNullOrEmpty(value))
            {
                verifyValues.Add(value);
            }
        }

        var verification = new OriginVerification(
            options.OriginVerifyHeader, verifyValues, ProxyOptionsValidator.RequiresOriginVerification(options, _configuration));
        var secret = string.IsNullOrEmpty(options.PreSharedSecret) ? null : options.PreSharedSecret;
        var transformer = _transforms.Create(context => context.AddFingerprintProxyTransforms(new FingerprintTransformOptions
        {
            Integration = ProxyIntegration.Info,
            ProxySecret = _ => secret,
            // Headers that describe the edge's hop to us: consumed here, never forwarded.
            RemovedRequestHeaders = [EdgeHeaders.ViewerIp, EdgeHeaders.ViewerHost, verification.HeaderName],
        }));

        var metadata = new Dictionary<string, string>
        {
            [ConnectTimeoutMetadata] = options.ConnectTimeoutSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        var client = _clients.CreateClient(new ForwarderHttpClientContext
        {
            ClusterId = ClusterId,
            OldConfig = Yarp.ReverseProxy.Configuration.HttpClientConfig.Empty,
            OldMetadata = previous is null ? null : PreviousMetadata,
            OldClient = previous?.Client,
            NewConfig = Yarp.ReverseProxy.Configuration.HttpClientConfig.Empty,
            NewMetadata = metadata,
        });
        PreviousMetadata = metadata;

        return new ProxySettings
        {
            Options = options,
            PreSharedSecret = secret,
            Routes = new RouteTable
            {
                BehaviorPath = options.BehaviorPath ?? ProxyOptions.DefaultBehaviorPath,
                AgentDownloadPath = options.AgentDownloadPath ?? ProxyOptions.DefaultAgentDownloadPath,
                GetResultPath = options.GetResultPath ?? ProxyOptions.DefaultGetResultPath,
                Ingress = IngressEndpoints.Parse(options.IngressBaseUrl ?? ProxyOptions.DefaultIngressBaseUrl),
            },
            OriginVerification = verification,
            Viewer = ViewerContextResolvers.For(options.ViewerContext),
            MaxRequestBodyBytes = options.MaxRequestBodyBytes,
            Transformer = transformer,
            Client = client,
            RequestConfig = new ForwarderRequestConfig
            {
                ActivityTimeout = TimeSpan.FromSeconds(options.ResponseTimeoutSeconds),
                // Bodies are streamed both ways; never buffered whole.
                AllowResponseBuffering = false,
            },
        };
    }

    private IReadOnlyDictionary<string, string>? PreviousMetadata { get; set; }

    /// <summary>The connect timeout a client factory reads from <see cref="ForwarderHttpClientContext.NewMetadata"/> (5 s when absent).</summary>
    public static TimeSpan ConnectTimeoutOf(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(ConnectTimeoutMetadata, out var value)
            && double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(5);

    public void Dispose() => _subscription.Dispose();

    private sealed class CompositeDisposable(IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}

/// <summary>A configuration change that was refused: why (each error naming its setting, never a value) and when.</summary>
internal sealed record SettingsRejection(string Reason, DateTimeOffset At);
