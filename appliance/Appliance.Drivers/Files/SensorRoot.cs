using System.Runtime.InteropServices;
using System.Text;

namespace Appliance.Drivers.Files;

/// <summary>
/// A driver's sensor root: the one directory whose files the driver may read. Every path is resolved by the kernel
/// with <c>openat2(2)</c> from a descriptor of the root, with <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
/// RESOLVE_NO_MAGICLINKS</c> (Linux 5.6 and later): an absolute path, a <c>..</c> that leaves the root, any symbolic
/// link (inside or out) and any /proc magic link fail in the kernel, with no window between a check and the open.
/// Files are opened non-blocking (a FIFO cannot hold the driver), only regular files are read, and reads are capped.
/// </summary>
public sealed partial class SensorRoot : IDisposable
{
    /// <summary>The longest relative path accepted.</summary>
    public const int MaxPathBytes = 1024;

    /// <summary>The most names a listing returns.</summary>
    public const int MaxEntries = 1024;

    private const int AtFdCwd = -100;
    private const ulong OReadOnly = 0;
    private const ulong ONonBlock = 0x800;     // 04000 on x86-64 and arm64
    private const ulong OCloseOnExec = 0x80000; // 02000000 on both
    private const ulong OPath = 0x200000;      // 010000000 on both
    private const ulong ResolveNoMagicLinks = 0x02;
    private const ulong ResolveNoSymlinks = 0x04;
    private const ulong ResolveBeneath = 0x08;
    private const long SysOpenat2X64AndArm64 = 437;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const ushort FileTypeMask = 0xF000;
    private const ushort RegularFile = 0x8000;
    private const ushort DirectoryType = 0x4000;

    private readonly int _root;
    private bool _disposed;

    private SensorRoot(string path, int root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>The root's path, for the host's messages only (the driver never sees it).</summary>
    public string Path { get; }

    /// <summary>Opens the root directory.</summary>
    /// <exception cref="IOException">It does not exist or is not a directory.</exception>
    public static SensorRoot Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd = OpenAt2(AtFdCwd, path, OPath | OCloseOnExec, 0, out int error);
        if (fd < 0)
        {
            throw new IOException($"cannot open the sensor root {path}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        if (FileType(fd) != DirectoryType)
        {
            _ = Close(fd);
            throw new IOException($"the sensor root {path} is not a directory");
        }

        return new SensorRoot(path, fd);
    }

    /// <summary>Reads the whole regular file at <paramref name="relative"/> if it has at most <paramref name="maxBytes"/> bytes.</summary>
    public FsError? TryReadFile(string relative, int maxBytes, out byte[] content)
    {
        content = [];
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (OpenBeneath(relative, out int fd) is { } refused)
        {
            return refused;
        }

        try
        {
            if (FileType(fd) != RegularFile)
            {
                return FsError.WrongKind;
            }

            // Read up to one byte past the cap: sysfs reports 4096 bytes for files of a few, so the size is not trusted.
            byte[] buffer = new byte[Math.Min(maxBytes, 1 << 20) + 1];
            int total = 0;
            while (total < buffer.Length)
            {
                int read = Read(fd, buffer.AsSpan(total));
                if (read < 0)
                {
                    return Marshal.GetLastPInvokeError() == 11 /* EAGAIN */ ? FsError.WrongKind : FsError.Io;
                }

                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total > maxBytes)
            {
                return FsError.TooLarge;
            }

            content = buffer[..total];
            return null;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>The names in the directory at <paramref name="relative"/> ("" or "." is the root), sorted, without "." and "..".</summary>
    public FsError? TryListDirectory(string relative, out IReadOnlyList<string> names)
    {
        names = [];
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (OpenBeneath(relative.Length == 0 ? "." : relative, out int fd) is { } refused)
        {
            return refused;
        }

        if (FileType(fd) != DirectoryType)
        {
            _ = Close(fd);
            return FsError.WrongKind;
        }

        IntPtr directory = FdOpenDir(fd);
        if (directory == IntPtr.Zero)
        {
            _ = Close(fd);
            return FsError.Io;
        }

        var found = new List<string>();
        try
        {
            while (found.Count <= MaxEntries)
            {
                IntPtr entry = ReadDir(directory);
                if (entry == IntPtr.Zero)
                {
                    break;
                }

                // struct dirent64 of glibc on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
                string name = Marshal.PtrToStringUTF8(entry + 19) ?? string.Empty;
                if (name is not ("." or ".."))
                {
                    found.Add(name);
                }
            }
        }
        finally
        {
            _ = CloseDir(directory); // closes fd too
        }

        if (found.Count > MaxEntries)
        {
            return FsError.TooLarge;
        }

        found.Sort(StringComparer.Ordinal);
        names = found;
        return null;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = Close(_root);
        }
    }

    private FsError? OpenBeneath(string relative, out int fd)
    {
        fd = -1;
        if (relative.Length == 0 || relative.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(relative) > MaxPathBytes)
        {
            return relative.Length == 0 ? FsError.NotFound : FsError.Denied;
        }

        fd = OpenAt2(_root, relative, OReadOnly | ONonBlock | OCloseOnExec, ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks, out int error);
        return fd >= 0 ? null : error switch
        {
            2 /* ENOENT */ => FsError.NotFound,
            20 /* ENOTDIR */ or 21 /* EISDIR */ or 6 /* ENXIO: a socket */ => FsError.WrongKind,
            18 /* EXDEV: leaves the root */ or 40 /* ELOOP: a link */ or 1 /* EPERM */ or 13 /* EACCES */ => FsError.Denied,
            36 /* ENAMETOOLONG */ => FsError.Denied,
            _ => FsError.Io,
        };
    }

    private static unsafe int OpenAt2(int directory, string path, ulong flags, ulong resolve, out int error)
    {
        var how = new OpenHow { Flags = flags, Mode = 0, Resolve = resolve };
        byte[] bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            long fd = Syscall(SysOpenat2X64AndArm64, directory, p, &how, (nuint)sizeof(OpenHow));
            error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)fd;
        }
    }

    /// <summary>The S_IFMT bits of the descriptor's file (statx, whose layout is the same on every architecture).</summary>
    private static unsafe ushort FileType(int fd)
    {
        byte* buffer = stackalloc byte[256];
        byte empty = 0;
        return Statx(fd, &empty, AtEmptyPath, StatxType, buffer) == 0 ? (ushort)(*(ushort*)(buffer + 28) & FileTypeMask) : (ushort)0;
    }

    private static unsafe int Read(int fd, Span<byte> into)
    {
        fixed (byte* p = into)
        {
            return (int)ReadNative(fd, p, (nuint)into.Length);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static unsafe partial long Syscall(long number, int directory, byte* path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static unsafe partial int Statx(int directory, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadNative(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fdopendir", SetLastError = true)]
    private static partial IntPtr FdOpenDir(int fd);

    [LibraryImport("libc", EntryPoint = "readdir64", SetLastError = true)]
    private static partial IntPtr ReadDir(IntPtr directory);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static partial int CloseDir(IntPtr directory);
}
