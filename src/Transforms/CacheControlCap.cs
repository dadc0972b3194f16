using System.Globalization;

namespace FingerprintProxy.Transforms;

/// <summary>
/// Caps the lifetimes in a <c>Cache-Control</c> value, as Fingerprint's integrations do for the agent
/// script: <c>max-age</c> and <c>s-maxage</c> are lowered to the caps and appended when missing; every
/// other directive is kept as it was.
/// </summary>
internal static class CacheControlCap
{
    /// <summary>The agent's browser cache lifetime cap, in seconds.</summary>
    public const int MaxAge = 3600;

    /// <summary>The agent's shared (CDN) cache lifetime cap, in seconds.</summary>
    public const int SharedMaxAge = 60;

    /// <summary>
    /// <c>public, max-age=7200</c> becomes <c>public, max-age=3600, s-maxage=60</c>. Returns the same string
    /// instance when nothing changes.
    /// </summary>
    public static string Apply(string cacheControl, int maxAge = MaxAge, int sharedMaxAge = SharedMaxAge)
    {
        ArgumentNullException.ThrowIfNull(cacheControl);
        var directives = cacheControl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var changed = directives.Length == 0 || directives.Length != cacheControl.Split(',').Length;
        changed |= Cap(ref directives, "max-age", maxAge);
        changed |= Cap(ref directives, "s-maxage", sharedMaxAge);
        return changed ? string.Join(", ", directives) : cacheControl;
    }

    private static bool Cap(ref string[] directives, string name, int cap)
    {
        for (var i = 0; i < directives.Length; i++)
        {
            var directive = directives[i].AsSpan();
            var equals = directive.IndexOf('=');
            var directiveName = (equals < 0 ? directive : directive[..equals]).Trim();
            if (!directiveName.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A value that is not a plain number of seconds is treated as too long.
            var value = equals < 0 ? default : directive[(equals + 1)..].Trim();
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= cap)
            {
                return false;
            }

            directives[i] = name + "=" + cap.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        directives = [.. directives, name + "=" + cap.ToString(CultureInfo.InvariantCulture)];
        return true;
    }
}
