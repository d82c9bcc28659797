using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace Herald.Benchmarks.Load;

/// <summary>
/// The few libc calls the load worker drives its sockets with: non-blocking sockets in one epoll set, read and written
/// directly, so that a delivery costs the load one <c>read</c> shared with whatever else arrived on that socket and
/// nothing of the runtime's socket engine (no thread hand-off, no task per receive).
/// </summary>
internal static unsafe partial class Libc
{
    public const int EAGAIN = 11;
    public const int EINTR = 4;
    public const int EINPROGRESS = 115;

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;

    private const int AfInet = 2;
    private const int SockStream = 1;
    private const int SockNonBlock = 0x800;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoError = 4;
    private const int SoLinger = 13;
    private const int IpProtoIp = 0;
    private const int IpBindAddressNoPort = 24;
    private const int IpProtoTcp = 6;
    private const int TcpNoDelay = 1;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int EpollCtlMod = 3;

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16).</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int connect(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockopt(int fd, int level, int name, void* value, int* length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epoll, int operation, int fd, byte* eventPointer);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epoll, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initial, int flags);

    public static int Errno => Marshal.GetLastPInvokeError();

    public static int EpollCreate()
    {
        var fd = epoll_create1(SockCloexec);
        return fd >= 0 ? fd : throw new IOException("epoll_create1 failed: errno " + Errno);
    }

    public static int EventFd()
    {
        var fd = eventfd(0, SockNonBlock | SockCloexec);
        return fd >= 0 ? fd : throw new IOException("eventfd failed: errno " + Errno);
    }

    /// <summary>
    /// Starts a non-blocking connection from <paramref name="source"/> (port chosen at connect time, so a source address
    /// is not limited to the ephemeral ports of one destination); the socket is writable once connected.
    /// </summary>
    public static int StartConnect(IPAddress? source, IPEndPoint destination, out int error)
    {
        error = 0;
        var fd = socket(AfInet, SockStream | SockNonBlock | SockCloexec, 0);
        if (fd < 0)
        {
            error = Errno;
            return -1;
        }
        var one = 1;
        setsockopt(fd, IpProtoTcp, TcpNoDelay, &one, sizeof(int));
        byte* address = stackalloc byte[16];
        if (source is not null)
        {
            setsockopt(fd, IpProtoIp, IpBindAddressNoPort, &one, sizeof(int));
            WriteAddress(address, new IPEndPoint(source, 0));
            if (bind(fd, address, 16) != 0)
            {
                error = Errno;
                close(fd);
                return -1;
            }
        }
        WriteAddress(address, destination);
        if (connect(fd, address, 16) != 0 && Errno != EINPROGRESS)
        {
            error = Errno;
            close(fd);
            return -1;
        }
        return fd;
    }

    /// <summary>The outcome of a non-blocking connect (SO_ERROR): 0 when connected.</summary>
    public static int SocketError(int fd)
    {
        var value = 0;
        var length = sizeof(int);
        return getsockopt(fd, SolSocket, SoError, &value, &length) == 0 ? value : Errno;
    }

    /// <summary>Closes with a reset instead of a FIN (SO_LINGER 0), as a network failure or killed client would.</summary>
    public static void Abort(int fd)
    {
        var linger = stackalloc int[2] { 1, 0 };
        setsockopt(fd, SolSocket, SoLinger, linger, 2 * sizeof(int));
        close(fd);
    }

    public static void Close(int fd)
    {
        close(fd);
    }

    /// <summary>Bytes read, 0 at the end of the stream, -1 with <see cref="Errno"/> set (EAGAIN: nothing yet).</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            return (int)read(fd, p, buffer.Length);
        }
    }

    /// <summary>Bytes written (possibly fewer than given), or -1 with <see cref="Errno"/> set.</summary>
    public static int Write(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return (int)write(fd, p, data.Length);
        }
    }

    public static void Signal(int eventFd)
    {
        var one = 1UL;
        write(eventFd, (byte*)&one, sizeof(ulong));
    }

    public static void Drain(int eventFd)
    {
        ulong value;
        read(eventFd, (byte*)&value, sizeof(ulong));
    }

    public static void EpollAdd(int epoll, int fd, uint events, ulong data) => EpollControl(epoll, EpollCtlAdd, fd, events, data);

    public static void EpollModify(int epoll, int fd, uint events, ulong data) => EpollControl(epoll, EpollCtlMod, fd, events, data);

    public static void EpollRemove(int epoll, int fd)
    {
        byte* ev = stackalloc byte[16];
        epoll_ctl(epoll, EpollCtlDel, fd, ev);
    }

    /// <summary>Waits for events into <paramref name="events"/> (<see cref="EpollEventSize"/> bytes each); returns how many.</summary>
    public static int EpollWait(int epoll, byte[] events, int timeoutMs)
    {
        fixed (byte* p = events)
        {
            var n = epoll_wait(epoll, p, events.Length / EpollEventSize, timeoutMs);
            return n >= 0 ? n : Errno == EINTR ? 0 : throw new IOException("epoll_wait failed: errno " + Errno);
        }
    }

    public static uint EventFlags(byte[] events, int index) => BinaryPrimitives.ReadUInt32LittleEndian(events.AsSpan(index * EpollEventSize));

    public static ulong EventData(byte[] events, int index) => BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan((index * EpollEventSize) + EpollDataOffset));

    private static void EpollControl(int epoll, int operation, int fd, uint events, ulong data)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(ulong*)(ev + EpollDataOffset) = data;
        if (epoll_ctl(epoll, operation, fd, ev) != 0)
        {
            throw new IOException($"epoll_ctl {operation} failed: errno {Errno}");
        }
    }

    private static void WriteAddress(byte* address, IPEndPoint endPoint)
    {
        var span = new Span<byte>(address, 16);
        span.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(span, AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)endPoint.Port);
        endPoint.Address.TryWriteBytes(span[4..8], out _);
    }
}
