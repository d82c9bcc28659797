using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Herald.Internal.Connections;

/// <summary>
/// Who a remote address counts as for per-address limits: an IPv4 address itself (also when mapped into IPv6), an IPv6
/// address by its /64 prefix, since one host is commonly handed a whole /64 and could otherwise take a fresh address
/// for every connection. No allocation.
/// </summary>
/// <param name="High">The IPv4 address, or the IPv6 address's first 64 bits.</param>
/// <param name="Low">0 for IPv4, 1 for IPv6, so the two never collide.</param>
internal readonly record struct AddressKey(ulong High, ulong Low)
{
    /// <summary>Connections whose address is unknown (a Unix socket, a test transport) share one key.</summary>
    public static readonly AddressKey Unknown = new(ulong.MaxValue, ulong.MaxValue);

    public static AddressKey Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _))
        {
            return new AddressKey(BinaryPrimitives.ReadUInt32BigEndian(bytes), 0);
        }

        return address.TryWriteBytes(bytes, out var written) && written == 16
            ? new AddressKey(BinaryPrimitives.ReadUInt64BigEndian(bytes), 1)
            : Unknown;
    }
}
