using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Sources.Generators.Helpers;

/// <summary>
/// An immutable array compared by its items, so that model records holding lists keep the
/// value equality the incremental pipeline needs to recognise an unchanged spec.
/// </summary>
public sealed class ImmutableEquatableArray<T> : IEquatable<ImmutableEquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    public static readonly ImmutableEquatableArray<T> Empty = new(Array.Empty<T>());

    private readonly T[] _items;

    public ImmutableEquatableArray(IEnumerable<T> items) => _items = items.ToArray();

    public T this[int index] => _items[index];
    public int Count => _items.Length;

    public bool Equals(ImmutableEquatableArray<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => obj is ImmutableEquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var item in _items)
            hash = unchecked(hash * 31 + (item?.GetHashCode() ?? 0));
        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}

public static class ImmutableEquatableArray
{
    public static ImmutableEquatableArray<T> ToEquatable<T>(this IEnumerable<T> items) where T : IEquatable<T> =>
        new(items);
}
