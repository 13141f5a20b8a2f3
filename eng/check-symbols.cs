// Checks the packed symbols of every package (.ci/run runs it after `dotnet pack`, docs/packaging.md says why):
//   dotnet run --file eng/check-symbols.cs -- artifacts/packages
// Each .snupkg must hold a portable PDB per target framework whose source documents are all deterministic (/_/...),
// with Source Link to the repository; and no PDB or assembly of a package may contain the folder it was built in
// (nor /work/ or /check/, where this repository's clones live).
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;

var folder = args.Length > 0 ? args[0] : "artifacts/packages";
var root = Path.TrimEndingDirectorySeparator(Directory.GetCurrentDirectory());
string[] forbidden = [root + "/", "/work/", "/check/"];
var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
var problems = new List<string>();
var pdbs = 0;
var documents = 0;

var symbolPackages = Directory.GetFiles(folder, "*.snupkg");
if (symbolPackages.Length == 0)
{
    problems.Add($"no .snupkg in {folder}");
}

foreach (var package in symbolPackages)
{
    using var zip = ZipFile.OpenRead(package);
    var packagePdbs = zip.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)).ToList();
    if (packagePdbs.Count == 0)
    {
        problems.Add($"{Path.GetFileName(package)}: no PDB");
    }

    foreach (var entry in packagePdbs)
    {
        var name = $"{Path.GetFileName(package)}/{entry.FullName}";
        var bytes = Read(entry);
        pdbs++;
        using var provider = MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(bytes));
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.Documents)
        {
            var path = reader.GetString(reader.GetDocument(handle).Name);
            documents++;
            if (!path.StartsWith("/_/", StringComparison.Ordinal))
            {
                problems.Add($"{name}: source document '{path}' is not deterministic (/_/...)");
            }
        }

        var sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == sourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .FirstOrDefault();
        if (sourceLink is null || !sourceLink.Contains("\"/_/*\"", StringComparison.Ordinal)
            || !sourceLink.Contains("https://raw.githubusercontent.com/", StringComparison.Ordinal))
        {
            problems.Add($"{name}: no Source Link from /_/* to the repository ({sourceLink ?? "none"})");
        }

        problems.AddRange(Forbidden(name, bytes));
    }
}

foreach (var package in Directory.GetFiles(folder, "*.nupkg"))
{
    using var zip = ZipFile.OpenRead(package);
    foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || e.FullName.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)))
    {
        problems.AddRange(Forbidden($"{Path.GetFileName(package)}/{entry.FullName}", Read(entry)));
    }
}

foreach (var problem in problems)
{
    Console.Error.WriteLine($"check-symbols: {problem}");
}

Console.WriteLine($"check-symbols: {symbolPackages.Length} symbol packages, {pdbs} PDBs, {documents} source documents, {problems.Count} problems");
return problems.Count == 0 ? 0 : 1;

static byte[] Read(ZipArchiveEntry entry)
{
    using var stream = entry.Open();
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    return memory.ToArray();
}

// Absolute paths as UTF-8 (PDB blobs, assembly strings) and UTF-16 (assembly user strings, CallerFilePath).
IEnumerable<string> Forbidden(string name, byte[] bytes) =>
    from path in forbidden
    from encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode }
    where bytes.AsSpan().IndexOf(encoding.GetBytes(path)) >= 0
    select $"{name}: contains the absolute path '{path}' ({encoding.WebName})";
