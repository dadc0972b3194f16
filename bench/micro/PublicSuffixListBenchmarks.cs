using BenchmarkDotNet.Attributes;
using FingerprintProxy.Transforms;

namespace FingerprintProxy.Benchmarks;

/// <summary>
/// The Public Suffix List's first use, on every cold start: the pass over the embedded list's bytes that
/// files its rule lines by top-level label, and the first lookup under one label.
/// </summary>
[MemoryDiagnoser]
public class PublicSuffixListBenchmarks
{
    private readonly byte[] _utf8 = ReadEmbeddedList();

    [Benchmark(Description = "PublicSuffixList.ParseUtf8 (the embedded list)")]
    public PublicSuffixList Index() => PublicSuffixList.ParseUtf8(_utf8);

    [Benchmark(Description = "PublicSuffixList.ParseUtf8, then the first lookup under com")]
    public bool IndexAndFirstLookup() => PublicSuffixList.ParseUtf8(_utf8).IsPublicSuffix("example.com");

    private static byte[] ReadEmbeddedList()
    {
        var assembly = typeof(PublicSuffixList).Assembly;
        var name = assembly.GetManifestResourceNames().Single(resource => resource.EndsWith("public_suffix_list.dat", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var utf8 = new byte[stream.Length];
        stream.ReadExactly(utf8);
        return utf8;
    }
}
