import CPrefetch

/// The map side of a shuffle: an open-addressing hash table that folds each record into its
/// key's combiner, built for the one access pattern a word count hammers (millions of lookups
/// of a hundred thousand keys).
///
/// `Dictionary` looks at an occupancy bitmap, then at a key, then at its value: three places
/// in memory, and in a table larger than the cache a miss for each. Here a byte per slot holds
/// seven bits of the key's hash, so probing reads a small array of bytes, and a key is compared
/// only when its byte matches; the key and its combiner sit side by side, one miss for both.
@usableFromInline
final class CombineTable<Key: Hashable, Value> {
    /// Per slot: 0 if empty, else 0x80 | the top seven bits of the key's hash.
    @exclusivity(unchecked) @usableFromInline var tags: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) @usableFromInline var entries: UnsafeMutablePointer<(Key, Value)>
    /// Slot count - 1; the slot count is a power of two.
    @exclusivity(unchecked) @usableFromInline var mask: Int
    @exclusivity(unchecked) @usableFromInline var count = 0
    /// Swift's per-process seed (fixed by `SWIFT_DETERMINISTIC_HASHING=1`, so replays stay
    /// byte-identical): crafted input cannot aim at one slot.
    @usableFromInline let seed = combineTableSeed

    @inlinable
    init(minimumCapacity: Int = 1024) {
        var slots = 16
        while slots / 4 * 3 < minimumCapacity { slots *= 2 }
        mask = slots - 1
        tags = .allocate(capacity: slots)
        tags.initialize(repeating: 0, count: slots)
        entries = .allocate(capacity: slots)
    }

    deinit {
        for slot in 0...mask where tags[slot] != 0 { (entries + slot).deinitialize(count: 1) }
        tags.deallocate()
        entries.deallocate()
    }

    /// The hash `combine` probes with.
    @inlinable @inline(__always)
    func hash(of key: Key) -> Int {
        key._rawHashValue(seed: seed)
    }

    /// Starts loading the slot where a key of hash `hash` is probed for (its tag and its entry),
    /// without waiting: `combine` a few records later finds them in the cache instead of
    /// stalling on them (three quarters of its time, in a table larger than the cache).
    @inlinable @inline(__always)
    func prefetch(hash: Int) {
        let slot = hash & mask
        stream_prefetch(tags + slot)
        stream_prefetch(entries + slot)
    }

    /// Folds `value` into the combiner of `key`, whose `hash(of:)` is `hash`, making one with
    /// `create` for a new key.
    @inlinable @inline(__always)
    func combine<Incoming>(
        _ key: Key, _ value: Incoming, hash: Int, create: (Incoming) throws -> Value,
        merge: (inout Value, Incoming) throws -> Void
    ) rethrows {
        let tag = Self.tag(of: hash)
        var slot = hash & mask
        while true {
            let found = tags[slot]
            if found == 0 { break }
            if found == tag, entries[slot].0 == key { return try merge(&entries[slot].1, value) }
            slot = (slot &+ 1) & mask
        }
        let combiner = try create(value)
        if count >= (mask + 1) / 4 * 3 {
            grow()
            slot = emptySlot(for: hash)
        }
        (entries + slot).initialize(to: (key, combiner))
        tags[slot] = tag
        count += 1
    }

    /// Moves every entry into `parts` dictionaries split by `Dictionary.partition(of:among:)`,
    /// leaving the table empty, its slots kept for the next batch (unless it used few of them).
    @inlinable
    func drain(into parts: Int) -> [[Key: Value]] {
        // Sized up front (keys spread evenly, give or take): growing them rehashed every key.
        let expected = Self.share(of: count, among: parts)
        var dictionaries = (0..<parts).map { _ in [Key: Value](minimumCapacity: expected) }
        moveEntries { key, value in
            dictionaries[parts == 1 ? 0 : [Key: Value].partition(of: key, among: parts)][key] = value
        }
        return dictionaries
    }

    /// Moves every entry into `parts` arrays split as `drain(into:)` splits them, in slot
    /// order, leaving the table empty like `drain(into:)`: no key is hashed into a dictionary.
    @inlinable
    func drainEntries(into parts: Int) -> [[(Key, Value)]] {
        let expected = Self.share(of: count, among: parts)
        var arrays = (0..<parts).map { _ in [(Key, Value)]() }
        for part in arrays.indices { arrays[part].reserveCapacity(expected) }
        moveEntries { key, value in
            arrays[parts == 1 ? 0 : [Key: Value].partition(of: key, among: parts)].append((key, value))
        }
        return arrays
    }

    /// About how many of `count` keys one of `parts` hash partitions receives, with room to spare.
    @inlinable
    static func share(of count: Int, among parts: Int) -> Int {
        parts == 1 ? count : count / parts + count / (4 * parts) + 16
    }

    /// Moves every entry out, in slot order, into `body`, leaving the table empty with its slots
    /// kept for the next batch, unless it used less than a sixteenth of them.
    @inlinable @inline(__always)
    func moveEntries(_ body: (Key, Value) -> Void) {
        let moved = count
        for slot in 0...mask where tags[slot] != 0 {
            let (key, value) = (entries + slot).move()
            tags[slot] = 0
            body(key, value)
        }
        count = 0
        if mask + 1 > 1 << 14, moved * 16 < mask + 1 { shrink() }
    }

    @inlinable @inline(__always)
    static func tag(of hash: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: UInt(bitPattern: hash) >> (UInt.bitWidth - 7)) | 0x80
    }

    @inlinable
    func emptySlot(for hash: Int) -> Int {
        var slot = hash & mask
        while tags[slot] != 0 { slot = (slot &+ 1) & mask }
        return slot
    }

    /// Makes an empty table small again: a table kept from batch to batch holds as many slots
    /// as its largest batch needed, until a batch uses less than a sixteenth of them.
    @usableFromInline
    func shrink() {
        precondition(count == 0, "only an empty table shrinks")
        tags.deallocate()
        entries.deallocate()
        mask = 1023
        tags = .allocate(capacity: mask + 1)
        tags.initialize(repeating: 0, count: mask + 1)
        entries = .allocate(capacity: mask + 1)
    }

    /// Doubles the slots, moving every entry (keys are hashed again: a table keeps no hashes).
    @inlinable
    func grow() {
        let oldTags = tags, oldEntries = entries, oldSlots = mask + 1
        let slots = oldSlots * 2
        mask = slots - 1
        tags = .allocate(capacity: slots)
        tags.initialize(repeating: 0, count: slots)
        entries = .allocate(capacity: slots)
        for old in 0..<oldSlots where oldTags[old] != 0 {
            let hash = oldEntries[old].0._rawHashValue(seed: seed)
            let slot = emptySlot(for: hash)
            (entries + slot).moveInitialize(from: oldEntries + old, count: 1)
            tags[slot] = oldTags[old]
        }
        oldTags.deallocate()
        oldEntries.deallocate()
    }
}

/// The map-side tables of one shuffling operator, kept from batch to batch: a table keeps its
/// slots when it is drained, so the next batch neither grows it again from a few slots (every
/// key rehashed at each doubling) nor faults fresh pages in.
///
/// Sendable: `tables(for:)` runs on the scheduler thread before the batch's map tasks start,
/// and each task then uses its own table.
@usableFromInline
final class CombineTables<Key: Hashable, Value>: @unchecked Sendable {
    @usableFromInline var kept: [CombineTable<Key, Value>] = []

    @inlinable
    init() {}

    /// One table per map partition.
    @inlinable
    func tables(for partitions: Int) -> [CombineTable<Key, Value>] {
        while kept.count < partitions { kept.append(CombineTable()) }
        return Array(kept.prefix(partitions))
    }
}

/// The last few records on their way into a `CombineTable`, oldest first: each waits for a few
/// more to arrive before it is folded in, while its slot, prefetched on arrival, comes into the
/// cache. Records are still folded in arrival order.
@usableFromInline
final class Lookahead<Key, Value> {
    @usableFromInline typealias Record = (key: Key, value: Value, hash: Int)
    @usableFromInline static var depth: Int { 4 }
    @exclusivity(unchecked) @usableFromInline var records: UnsafeMutablePointer<Record>
    @exclusivity(unchecked) @usableFromInline var oldest = 0
    @exclusivity(unchecked) @usableFromInline var count = 0

    @inlinable
    init() {
        records = .allocate(capacity: Self.depth)
    }

    deinit {
        for k in 0..<count { (records + (oldest + k) % Self.depth).deinitialize(count: 1) }
        records.deallocate()
    }

    /// Adds a record; returns the oldest one once `depth` are waiting.
    @inlinable @inline(__always)
    func push(_ key: Key, _ value: Value, hash: Int) -> Record? {
        let oldest = count == Self.depth ? pop() : nil
        (records + (self.oldest + count) % Self.depth).initialize(to: (key, value, hash))
        count += 1
        return oldest
    }

    /// Removes and returns the oldest record; nil when none waits.
    @inlinable @inline(__always)
    func pop() -> Record? {
        guard count > 0 else { return nil }
        let record = (records + oldest).move()
        oldest = (oldest + 1) % Self.depth
        count -= 1
        return record
    }
}

/// The seed of every `CombineTable`, drawn from Swift's hashing seed once per process.
@usableFromInline let combineTableSeed: Int = {
    var hasher = Hasher()
    hasher.combine(0xC0_4B13_7AB1E as UInt64)
    return hasher.finalize()
}()
