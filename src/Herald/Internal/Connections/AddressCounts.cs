using System.Collections.Concurrent;

namespace Herald.Internal.Connections;

/// <summary>How many connections each remote address (<see cref="AddressKey"/>) holds, for per-address limits; addresses holding none take no memory.</summary>
internal sealed class AddressCounts
{
    private readonly ConcurrentDictionary<AddressKey, int> _counts = new();

    public int this[AddressKey address] => _counts.GetValueOrDefault(address);

    /// <summary>Counts one more connection for <paramref name="address"/> unless it already holds <paramref name="limit"/> (null: no limit).</summary>
    public bool TryAdd(AddressKey address, int? limit)
    {
        while (true)
        {
            if (!_counts.TryGetValue(address, out var count))
            {
                if (limit is < 1)
                {
                    return false;
                }

                if (_counts.TryAdd(address, 1))
                {
                    return true;
                }

                continue;
            }

            if (count >= limit)
            {
                return false;
            }

            if (_counts.TryUpdate(address, count + 1, count))
            {
                return true;
            }
        }
    }

    /// <summary>Counts one connection less for <paramref name="address"/>.</summary>
    public void Remove(AddressKey address)
    {
        while (_counts.TryGetValue(address, out var count))
        {
            if (count <= 1 ? _counts.TryRemove(new KeyValuePair<AddressKey, int>(address, count)) : _counts.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }
}
