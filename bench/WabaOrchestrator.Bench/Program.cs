using System.Globalization;
using System.Reflection;
using System.Text;
using WabaOrchestrator.Bench;

// Usage: dotnet run -c Release --project bench/WabaOrchestrator.Bench -- [name ...] [--quick] [--out FILE]
// With no names every benchmark runs. Figures are printed as Markdown (and written to FILE).
var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var outFile = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
var names = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (outIndex < 0 || i != outIndex + 1)).ToHashSet(StringComparer.OrdinalIgnoreCase);

var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var unknown = names.Except(benchmarks.Select(b => b.Name), StringComparer.OrdinalIgnoreCase).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown benchmark(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"# Benchmarks\n\nRun {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}{(quick ? " (quick mode)" : "")}.\n");
var allMet = true;
foreach (var benchmark in benchmarks.Where(b => names.Count == 0 || names.Contains(b.Name)))
{
    Console.Error.WriteLine($"Running {benchmark.Name}: {benchmark.Description}");
    var results = await benchmark.RunAsync(new BenchContext(quick), CancellationToken.None);
    report.AppendLine(CultureInfo.InvariantCulture, $"## {benchmark.Name}\n\n{benchmark.Description}\n");
    report.AppendLine("| metric | value | unit | target | met |");
    report.AppendLine("|---|---:|---|---|---|");
    foreach (var r in results)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Metric} | {r.Value:0.###} | {r.Unit} | {r.Target ?? ""} | {(r.Met is null ? "" : r.Met.Value ? "yes" : "**no**")} |");
        allMet &= r.Met ?? true;
    }

    report.AppendLine();
}

Console.WriteLine(report);
if (outFile is not null)
{
    await File.WriteAllTextAsync(outFile, report.ToString());
}

Console.Error.WriteLine(allMet ? "All targets met." : "Some targets were NOT met (see the table).");
return 0;
