using System.Runtime.InteropServices;

namespace Appliance.Mqtt.Spool;

/// <summary>
/// Binds SQLitePCLRaw's <c>e_sqlite3</c> provider to the system's SQLite (Debian's <c>libsqlite3-0</c>), so that the
/// NativeAOT executable ships alone, with no <c>libe_sqlite3.so</c> beside it. The provider's P/Invokes name the
/// library <c>e_sqlite3</c>; the resolver loads <c>libsqlite3.so.0</c> for that name instead.
/// </summary>
internal static class SqliteRuntime
{
    private const string ProviderLibrary = "e_sqlite3";
    private static readonly string[] SystemLibraries = ["libsqlite3.so.0", "libsqlite3.so", "libsqlite3.0.dylib", "sqlite3"];
    private static readonly Lock Gate = new();
    private static bool _initialized;

    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, Resolve);
            SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
            _initialized = true;
        }
    }

    private static IntPtr Resolve(string libraryName, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != ProviderLibrary)
        {
            return IntPtr.Zero;
        }

        foreach (string candidate in SystemLibraries)
        {
            if (NativeLibrary.TryLoad(candidate, out IntPtr handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException("the system SQLite library (libsqlite3.so.0) is missing: install Debian's libsqlite3-0 (scripts/setup does)");
    }
}
