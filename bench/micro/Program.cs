using BenchmarkDotNet.Running;

namespace FingerprintProxy.Benchmarks;

/// <summary>
/// Entry point (not top-level statements: those would declare a second <c>Program</c> next to the host's).
/// <code>
/// dotnet run -c Release --project bench/micro -- --filter '*'           every benchmark
/// dotnet run -c Release --project bench/micro -- --filter '*Router*'    one class
/// </code>
/// </summary>
internal static class BenchmarkProgram
{
    private static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, new BenchmarkConfig());
}
