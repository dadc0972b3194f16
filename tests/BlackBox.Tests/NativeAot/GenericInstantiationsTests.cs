using System.Xml.Linq;
using FingerprintProxy.BlackBox.Infrastructure;
using FingerprintProxy.BlackBox.Lambda;

namespace FingerprintProxy.BlackBox.NativeAot;

/// <summary>
/// <c>src/ProxyHost/GenericInstantiations.rd.xml</c> names the closed generic types the service container
/// creates at run time from open generic registrations (<c>OptionsFactory&lt;T&gt;</c>, <c>Logger&lt;T&gt;</c>),
/// so that Native AOT compiles them ahead of time instead of building each one on first use. These tests run
/// the JIT build with <see cref="ServiceGraphRecorder"/> as a startup hook, in Kestrel and in Lambda mode,
/// and hold the list to what the container made.
/// </summary>
public sealed class GenericInstantiationsTests(ITestOutputHelper output) : IDisposable
{
    private const string ListFile = "GenericInstantiations.rd.xml";

    private readonly ProcessLog _log = new(output);

    [BlackBoxFact(Needs.JitBuild)]
    public async Task EveryGenericTypeTheContainerCreates_InKestrelAndLambdaMode_IsInTheList()
    {
        var recorded = Path.Combine(Path.GetTempPath(), $"service-graph-{Guid.NewGuid():N}.txt");
        try
        {
            await LoopbackNames.EnsureAsync();
            await using var upstream = await FakeFingerprint.StartAsync();
            Dictionary<string, string> Settings() => new()
            {
                ["DOTNET_STARTUP_HOOKS"] = typeof(ServiceGraphRecorder).Assembly.Location,
                [ServiceGraphRecorder.FileVariable] = recorded,
                ["FPJS_PRE_SHARED_SECRET"] = ProxyFixture.Secret,
                ["FPJS_INGRESS_BASE_URL"] = LoopbackNames.IngressUrl(upstream.Port),
            };

            await using (var proxy = await ProxyProcess.StartAsync(Settings()))
            {
                _log.Watch(proxy.Process);
                (await proxy.Client.GetAsync("/fpjs/agent?apiKey=K")).EnsureSuccessStatusCode();
                (await proxy.Client.PostAsync("/fpjs/?ci=js/3.12.5", new ByteArrayContent(new byte[512]))).EnsureSuccessStatusCode();
                (await proxy.Client.GetAsync("/fpjs/status?format=json")).EnsureSuccessStatusCode();
            }

            await using var runtime = await FakeLambdaRuntime.StartAsync();
            await using (var function = LambdaModeTests.StartFunction(runtime, Settings()))
            {
                _log.Watch(function);
                var result = await runtime.InvokeAsync(LambdaModeTests.Event("POST", "/fpjs/", "ci=js/3.12.5", new byte[512]));
                Assert.Equal(200, result.StatusCode);
            }

            var created = File.ReadAllLines(recorded).ToHashSet(StringComparer.Ordinal);
            var listed = Listed(Path.Combine(AppContext.BaseDirectory, ListFile));
            // What the recorder saw at all: a hook that recorded nothing would make the check below pass.
            Assert.Contains("Microsoft.Extensions.Options.OptionsFactory`1[FingerprintProxy.Configuration.ProxyOptions]", created);
            var missing = created.Except(listed).Order(StringComparer.Ordinal).ToList();
            Assert.True(
                missing.Count == 0,
                $"The service container created {missing.Count} generic type(s) that src/ProxyHost/{ListFile} does not list; add each, with its "
                + "assemblies, or the Native AOT build constructs them at run time, on the cold-start path:\n  " + string.Join("\n  ", missing));
        }
        finally
        {
            File.Delete(recorded);
        }
    }

    [Theory]
    [InlineData("Ns.Plain", "Ns.Plain")]
    [InlineData("Ns.One`1[[A.B,Asm]]", "Ns.One`1[A.B]")]
    [InlineData("Ns.Two`2[[A.B,Asm.A],[C+D,Asm.C]]", "Ns.Two`2[A.B,C+D]")]
    [InlineData("Ns.Outer`1[[Ns.Inner`1[[A,AsmA]],AsmInner]]", "Ns.Outer`1[Ns.Inner`1[A]]")]
    public void DisplayName_DropsTheAssemblies_AsTheContainerNamesTypes(string listed, string expected) =>
        Assert.Equal(expected, DisplayName(listed));

    public void Dispose() => _log.Dispose();

    /// <summary>The types the list names, in the container's form (<c>Type.ToString()</c>).</summary>
    private static HashSet<string> Listed(string path) =>
        XDocument.Load(path).Descendants().Where(element => element.Name.LocalName == "Type")
            .Select(type => DisplayName((string)type.Attribute("Name")!))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// <c>Ns.T`2[[A,AsmA],[B,AsmB]]</c> (the list's form, each argument with its assembly) as
    /// <c>Ns.T`2[A,B]</c>.
    /// </summary>
    private static string DisplayName(string name)
    {
        var open = name.IndexOf("[[", StringComparison.Ordinal);
        if (open < 0)
        {
            return name;
        }

        var arguments = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = open + 1; i < name.Length - 1; i++)
        {
            if (name[i] == '[' && depth++ == 0)
            {
                start = i + 1;
            }
            else if (name[i] == ']' && --depth == 0)
            {
                var argument = name[start..i];
                arguments.Add(DisplayName(argument[..argument.LastIndexOf(',')]));
            }
        }

        return $"{name[..open]}[{string.Join(',', arguments)}]";
    }
}
