using System.Runtime.InteropServices;

namespace Gradscope.Lab.Outputs;

/// <summary>What a path names, after following symbolic links.</summary>
internal enum FileNodeKind
{
    Missing,
    Regular,
    Directory,
    Device,
    Fifo,

    /// <summary>A socket or another special file.</summary>
    Other,
}

/// <summary>
/// The kind and identity (device and inode) of what a path names, symbolic links followed. Two
/// paths name the same file exactly when their identities agree, which also catches hard links
/// and bind mounts that no path comparison sees. Linux answers through statx(2), whose structure
/// is the same on every architecture; elsewhere, or where statx is missing, the kind comes from
/// the managed API (which cannot tell a device from a file) and <see cref="HasIdentity"/> is false.
/// </summary>
internal readonly record struct FileNode(FileNodeKind Kind, ulong Device, ulong Inode)
{
    // statx(2): AT_FDCWD, STATX_TYPE | STATX_INO, and the type bits of stx_mode.
    private const int AtCurrentDirectory = -100;
    private const uint StatxTypeAndInode = 0x1 | 0x100;
    private const int ModeTypeMask = 0xF000;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    private static bool _statxMissing = !OperatingSystem.IsLinux();

    public bool Exists => Kind != FileNodeKind.Missing;

    public bool HasIdentity => Inode != 0;

    public bool IsSameFileAs(FileNode other) => HasIdentity && Device == other.Device && Inode == other.Inode;

    /// <summary>What <paramref name="path"/> names now.</summary>
    public static FileNode At(string path)
    {
        if (!_statxMissing && TryStatx(path, out var node))
            return node;
        if (Directory.Exists(path))
            return new FileNode(FileNodeKind.Directory, 0, 0);
        return new FileNode(File.Exists(path) ? FileNodeKind.Regular : FileNodeKind.Missing, 0, 0);
    }

    private static bool TryStatx(string path, out FileNode node)
    {
        node = default;
        int result;
        StatxBuffer buffer;
        try
        {
            result = Statx(AtCurrentDirectory, path, 0, StatxTypeAndInode, out buffer);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            _statxMissing = true;
            return false;
        }

        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is NoSuchFile or NotADirectory)
            {
                node = new FileNode(FileNodeKind.Missing, 0, 0);
                return true;
            }

            // ENOSYS (an old kernel or a seccomp filter), EACCES and the like: the caller falls back.
            return false;
        }

        ulong device = ((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor;
        node = new FileNode(KindOf(buffer.Mode), device, buffer.Inode);
        return true;
    }

    private static FileNodeKind KindOf(ushort mode) => (mode & ModeTypeMask) switch
    {
        0x8000 => FileNodeKind.Regular,
        0x4000 => FileNodeKind.Directory,
        0x2000 or 0x6000 => FileNodeKind.Device,
        0x1000 => FileNodeKind.Fifo,
        _ => FileNodeKind.Other,
    };

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>struct statx: 256 bytes, the same layout on every Linux architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}
