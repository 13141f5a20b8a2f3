namespace Recovery.Journeys.Benchmarks;

/// <summary>Runs the BenchmarkDotNet benchmarks.</summary>
public static class BenchmarkEntry
{
    public static int Run(string[] args)
    {
        Console.WriteLine("Benchmarks are added in a later step; run 'scale [count]' for the large-scale run.");
        return 0;
    }
}
