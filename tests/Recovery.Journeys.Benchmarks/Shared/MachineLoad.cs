using System.Diagnostics;
using System.Globalization;

namespace Recovery.Journeys.Benchmarks.Shared;

/// <summary>
/// What else the machine did during a timed run: the share of its cores that other processes used (from
/// <c>/proc/stat</c>, less this process's own CPU time), and the load average. docs/performance.md reports it beside
/// every number, since a 2-core machine shared with other work measures that work too.
/// </summary>
public sealed class MachineLoad
{
    private readonly long _busyTicks;
    private readonly long _totalTicks;
    private readonly TimeSpan _ownCpu;
    private readonly long _postgresTicks;

    private MachineLoad(long busyTicks, long totalTicks, TimeSpan ownCpu, long postgresTicks)
    {
        _busyTicks = busyTicks;
        _totalTicks = totalTicks;
        _ownCpu = ownCpu;
        _postgresTicks = postgresTicks;
    }

    /// <summary>Starts measuring.</summary>
    public static MachineLoad Start()
    {
        var (busy, total) = ReadCpu();
        return new MachineLoad(busy, total, Process.GetCurrentProcess().TotalProcessorTime, PostgresTicks());
    }

    /// <summary>The one-minute load average, or -1 where <c>/proc/loadavg</c> is missing.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>A line such as "machine: 2 cores; this run used 1.6 cores, other processes 0.1; load average 1.9".</summary>
    public string Describe()
    {
        var (busy, total) = ReadCpu();
        var cores = Environment.ProcessorCount;
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime - _ownCpu;
        if (total <= _totalTicks)
        {
            return $"machine: {cores} cores; load average {LoadAverage():F2}";
        }

        // /proc/stat counts jiffies summed over every core; its ratio of busy to total is the share of all cores used.
        var wallSeconds = (total - _totalTicks) / (double)cores / Jiffies;
        var busyCores = (busy - _busyTicks) / Jiffies / wallSeconds;
        var ownCores = ownCpu.TotalSeconds / wallSeconds;
        var postgresCores = (PostgresTicks() - _postgresTicks) / Jiffies / wallSeconds;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"machine: {cores} cores; this run used {ownCores:F2} cores, PostgreSQL {postgresCores:F2}, other processes {Math.Max(0, busyCores - ownCores - postgresCores):F2}; load average {LoadAverage():F2}");
    }

    private const double Jiffies = 100.0;

    /// <summary>The CPU time (user and system, in jiffies) of every process named <c>postgres</c> now running.</summary>
    private static long PostgresTicks()
    {
        long ticks = 0;
        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out _))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var open = stat.IndexOf('(', StringComparison.Ordinal);
                    var close = stat.LastIndexOf(')');
                    if (open < 0 || close < 0 || stat[(open + 1)..close] != "postgres")
                    {
                        continue;
                    }

                    // Fields after the command: state is field 3, utime 14, stime 15, and cutime 16, cstime 17: the CPU of
                    // the children it reaped, so that the postmaster accounts for the backends that ended meanwhile (a
                    // pgbench run's connections end before the run is described).
                    var fields = stat[(close + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                        + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The process ended meanwhile.
                }
            }
        }
        catch (IOException)
        {
            return 0;
        }

        return ticks;
    }

    private static (long Busy, long Total) ReadCpu()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();

            // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
            var total = fields.Take(8).Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
