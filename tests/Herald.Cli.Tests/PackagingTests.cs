using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Herald.Testing;

namespace Herald.Cli.Tests;

/// <summary>
/// The packages as they would be published: packed from this build, the herald tool installs from them into a tool path
/// and runs, and each library carries its metadata, README and XML docs.
/// </summary>
public sealed class PackagingTests
{
    private static readonly string[] Libraries = ["Herald", "Herald.Sqlite", "Herald.JetStream", "Herald.Client", "Herald.UniFi", "Herald.Prometheus", "Herald.Dashboard"];

    [Fact]
    public async Task TheToolInstallsFromTheLocalPackagesAndPrintsItsVersionAndTheLibrariesCarryTheirMetadata()
    {
        var root = RepositoryRoot();
        using var directory = new TempDirectory();
        var packages = Path.Combine(directory.Path, "packages");

        // Every project under src/, from the build this test runs in (no rebuild), in one MSBuild run: quicker than
        // packing the solution, which evaluates every test project too. Projects that do not pack say so and are skipped.
        var traversal = Path.Combine(directory.Path, "pack.proj");
        var projects = string.Join(';', Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories));
        await File.WriteAllTextAsync(traversal, $"""
            <Project>
              <Target Name="Pack">
                <MSBuild Projects="{projects}" Targets="Pack" Properties="NoBuild=true;Configuration={Configuration};PackageOutputPath={packages}" BuildInParallel="true" />
              </Target>
            </Project>
            """);
        var (packed, packOutput) = await RunAsync("dotnet", root, "msbuild", traversal, "-t:Pack", "-nologo", "-v:q");
        Assert.True(packed == 0, packOutput);
        var files = Directory.GetFiles(packages, "*.nupkg").Select(Path.GetFileName).ToList();
        Assert.Contains("Herald.Cli.0.1.0.nupkg", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("Herald.Server.", StringComparison.Ordinal) || f.StartsWith("Herald.Testing.", StringComparison.Ordinal) || f.StartsWith("Herald.Benchmarks.", StringComparison.Ordinal));

        // Install from that folder alone, as a user would from a feed.
        var config = Path.Combine(directory.Path, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(directory.Path, "tools");
        var (installed, installOutput) = await RunAsync("dotnet", directory.Path, "tool", "install", "Herald.Cli", "--version", "0.1.0", "--tool-path", tools, "--configfile", config);
        Assert.True(installed == 0, installOutput);
        var (ran, version) = await RunAsync(Path.Combine(tools, "herald"), directory.Path, "--version");
        Assert.Equal(0, ran);
        Assert.StartsWith("0.1.0", version.Trim(), StringComparison.Ordinal);

        foreach (var library in Libraries)
        {
            var file = Assert.Single(Directory.GetFiles(packages, library + ".0.1.0*.nupkg"));
            using var package = ZipFile.OpenRead(file);
            var nuspec = XDocument.Load(package.GetEntry(library + ".nuspec")!.Open());
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.False(string.IsNullOrWhiteSpace(Field("description")), library);
            Assert.Null(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));
            Assert.NotNull(package.GetEntry("README.md"));
            Assert.Contains(package.Entries, e => e.FullName.StartsWith("lib/net10.0/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Herald.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The test runs outside the repository: Herald.slnx not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WithTimeout(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }
}
