using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Benchmarks.Shared;

namespace Recovery.Journeys.Benchmarks.Templates;

/// <summary>
/// Compares this build's template rendering with another build's, for a machine too busy for BenchmarkDotNet to tell
/// a few per cent: <c>templates-ab path/to/other/Recovery.Journeys.Benchmarks.dll [--rounds 400] [--ops 10000]</c>.
/// </summary>
/// <remarks>
/// Both builds' <see cref="TemplateBenchmarks"/> run in this process, each in a load context of its own, timed in
/// alternation: each round runs every benchmark of both builds, in an order reversed every other round, so both see
/// the same load. Time is the thread's CPU time (on Linux), so the time other processes take the core does not count.
/// Prints per benchmark the median and the minimum per operation, and the median of the per-round ratios this build /
/// other build; the floors are the same code in both builds and show the method's own noise.
/// </remarks>
public static class TemplateComparisonRun
{
    private static readonly string[] Methods = ["PushFloor", "PushTemplate", "EmailFloor", "EmailTemplate"];

    public static int Run(string[] args)
    {
        var rounds = DurableRun.Option(args, "--rounds", 400);
        var ops = DurableRun.Option(args, "--ops", 10_000);
        var builds = new[] { ("other", Path.GetFullPath(args[0])), ("this", typeof(TemplateComparisonRun).Assembly.Location) };
        var runs = builds.SelectMany(b => Load(b.Item1, b.Item2)).ToList();
        foreach (var method in Methods.Where(m => runs.Where(r => r.Method == m).Select(r => r.Render()).Distinct().Count() != 1))
        {
            Console.WriteLine($"{method} renders other texts in the two builds");
            return 1;
        }

        var times = runs.ToDictionary(r => (r.Build, r.Method), _ => new List<double>());
        var loads = new List<double>();
        for (var round = -3; round < rounds; round++)
        {
            loads.Add(MachineLoad.LoadAverage());
            foreach (var run in round % 2 == 0 ? runs : Enumerable.Reverse(runs))
            {
                var time = CpuNanosecondsPerOp(run.Render, ops);
                if (round >= 0)
                {
                    times[(run.Build, run.Method)].Add(time);
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"templates-ab: {rounds} rounds of {ops:N0} renders; load average {loads.Min():F1} to {loads.Max():F1}"));
        Console.WriteLine($"{"",-14} {"other median",13} {"this median",12} {"other min",10} {"this min",9}  this/other");
        foreach (var method in Methods)
        {
            var other = times[("other", method)];
            var mine = times[("this", method)];
            var ratio = Quantiles.Median(other.Zip(mine, (o, t) => t / o));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method,-14} {Quantiles.Median(other),11:F1}ns {Quantiles.Median(mine),10:F1}ns {other.Min(),8:F1}ns {mine.Min(),7:F1}ns  {ratio:F3}"));
        }

        return 0;
    }

    private static IEnumerable<(string Build, string Method, Func<(string, string)> Render)> Load(string build, string path)
    {
        var assembly = new BuildContext(path).LoadFromAssemblyPath(path);
        var type = assembly.GetType(typeof(TemplateBenchmarks).FullName!)!;
        var benchmarks = Activator.CreateInstance(type)!;
        type.GetMethod(nameof(TemplateBenchmarks.SetUp))!.Invoke(benchmarks, null);
        return Methods.Select(m => (build, m, type.GetMethod(m)!.CreateDelegate<Func<(string, string)>>(benchmarks))).ToList();
    }

    private static double CpuNanosecondsPerOp(Func<(string, string)> render, int ops)
    {
        var start = ThreadCpuNanoseconds();
        for (var i = 0; i < ops; i++)
        {
            render();
        }

        return (ThreadCpuNanoseconds() - start) / (double)ops;
    }

    internal static long ThreadCpuNanoseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Stopwatch.GetTimestamp() * (1_000_000_000L / Stopwatch.Frequency);
        }

        _ = ClockGetTime(ThreadCpuClock, out var time);
        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>Loads a build with its own dependencies, beside the other build's.</summary>
    private sealed class BuildContext(string path) : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } file ? LoadFromAssemblyPath(file) : null;
    }
}
