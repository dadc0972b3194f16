using System.Net;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// The ingress host names the proxy is pointed at: <c>fpjs.localhost</c> and its region hosts
/// <c>eu.fpjs.localhost</c> and <c>ap.fpjs.localhost</c>, all on 127.0.0.1, where the fake Fingerprint
/// listens. The published binary has no test seam to redirect its connections, so the names must
/// resolve: they are added to <c>/etc/hosts</c> when missing (CI runs as root).
/// </summary>
public static class LoopbackNames
{
    public const string Ingress = "fpjs.localhost";
    public const string HostsFile = "/etc/hosts";

    public static readonly IReadOnlyList<string> All = [Ingress, "eu." + Ingress, "ap." + Ingress];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Lazy<string?> Reason = new(ComputeSkipReason);
    private static bool _ensured;

    /// <summary>Why the names cannot be made to resolve here, or null when they can.</summary>
    public static string? SkipReason => Reason.Value;

    /// <summary>The origin of the ingress, e.g. <c>http://fpjs.localhost:5123</c>, for <c>FPJS_INGRESS_BASE_URL</c>.</summary>
    public static string IngressUrl(int port) => $"http://{Ingress}:{port}";

    /// <summary>Adds the names missing from <c>/etc/hosts</c> (one appended line), then checks that each resolves to 127.0.0.1.</summary>
    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_ensured)
            {
                return;
            }

            var missing = All.Except(NamesOn127()).ToList();
            if (missing.Count > 0 && IsWritable())
            {
                await File.AppendAllTextAsync(HostsFile, $"\n127.0.0.1 {string.Join(' ', missing)}\n");
            }

            foreach (var name in All)
            {
                var addresses = await Dns.GetHostAddressesAsync(name).WaitAsync(TimeSpan.FromSeconds(10));
                if (!addresses.Contains(IPAddress.Loopback))
                {
                    throw new InvalidOperationException($"{name} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, not 127.0.0.1.");
                }
            }

            _ensured = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string? ComputeSkipReason()
    {
        if (!All.Except(NamesOn127()).Any() || IsWritable() || All.All(ResolvesToLoopback))
        {
            return null;
        }

        return $"{string.Join(", ", All)} do not resolve to 127.0.0.1 and {HostsFile} is not writable: add \"127.0.0.1 {string.Join(' ', All)}\" to {HostsFile}.";
    }

    private static HashSet<string> NamesOn127()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(HostsFile))
        {
            return names;
        }

        foreach (var line in File.ReadLines(HostsFile))
        {
            var fields = line.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 1 && fields[0] == "127.0.0.1")
            {
                names.UnionWith(fields[1..]);
            }
        }

        return names;
    }

    private static bool IsWritable()
    {
        try
        {
            // Opening for append changes nothing until something is written.
            using var stream = new FileStream(HostsFile, FileMode.Append, FileAccess.Write);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static bool ResolvesToLoopback(string name)
    {
        try
        {
            return Dns.GetHostAddresses(name).Contains(IPAddress.Loopback);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
