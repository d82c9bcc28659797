using System.Globalization;
using System.Text;

namespace Herald.Sqlite.Internal;

/// <summary>
/// The lock file beside the database that keeps a second Herald process out: an exclusive OS lock (flock on Unix) that
/// dies with the process, so a kill -9 never leaves a stale lock behind. It holds the owner's process id.
/// </summary>
internal sealed class SqliteLockFile : IDisposable
{
    private readonly FileStream _file;

    private SqliteLockFile(FileStream file) => _file = file;

    /// <summary>Takes the lock at <paramref name="lockPath"/> for the database at <paramref name="fullPath"/>.</summary>
    /// <exception cref="EventStoreUnavailableException">Another process holds it, or it cannot be created.</exception>
    public static SqliteLockFile Take(string lockPath, string fullPath)
    {
        FileStream file;
        try
        {
            file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (File.Exists(lockPath))
        {
            throw new EventStoreUnavailableException($"The database '{fullPath}' is in use by another Herald process: the lock file '{lockPath}' is held. Stop the other process or configure another path.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EventStoreUnavailableException($"Cannot create the lock file '{lockPath}' for the SQLite store: {ex.Message}", ex);
        }

        try
        {
            // The owner's process id helps an operator find who holds the database.
            file.SetLength(0);
            file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush();
        }
        catch (IOException ex)
        {
            file.Dispose();
            throw new EventStoreUnavailableException($"Cannot write the lock file '{lockPath}': {ex.Message}", ex);
        }

        return new SqliteLockFile(file);
    }

    public void Dispose() => _file.Dispose();
}
