/// A token used as a key: equal only when its Unicode scalars are identical.
///
/// Swift's `String ==` treats canonically equivalent strings as equal, so NFC `été` and NFD
/// `été` would be one key; Spark (and Python) keep them apart. `Word` compares, hashes and
/// orders by UTF-8 bytes, which is code-point order.
///
/// Words of up to 23 UTF-8 bytes (a `t.co` link has 23) are kept in place, as three integers:
/// comparing two compares numbers, hashing one mixes three numbers (no SipHash pass), and
/// copying one retains nothing. Keys that are copied with a whole state (every batch of a
/// running count) no longer touch one heap object each. The hash is seeded per process
/// (from Swift's own seed, so `SWIFT_DETERMINISTIC_HASHING=1` fixes it too): input cannot
/// be crafted to collide.
///
/// - Important: Use `Word`, not `String`, for keys that must match Spark's counts exactly.
public struct Word: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// UTF-8 bytes 0..<8, little-endian, zero-padded.
    @usableFromInline let head: UInt64
    /// UTF-8 bytes 8..<16, little-endian, zero-padded.
    @usableFromInline let middle: UInt64
    /// UTF-8 bytes 16..<23 in the low seven bytes; the byte count (0...23) in the top byte, or
    /// `Word.spilledMarker` when the word is longer and all its bytes are in `spilled`.
    @usableFromInline let tail: UInt64
    /// The bytes of a word longer than 23 bytes; nil for the rest.
    @usableFromInline let spilled: [UInt8]?

    /// The most bytes a word keeps in place.
    @usableFromInline static let inlineCapacity = 23

    @usableFromInline static let spilledMarker: UInt64 = 0xFF

    /// The word `text`.
    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { Word(validUTF8: $0) }
    }

    /// A word made from UTF-8 bytes known to be valid (a slice of a `String` cut at scalar
    /// boundaries). Up to 23 bytes are kept in place, as three integers: no allocation, and
    /// comparing two words compares numbers.
    ///
    /// `readable` is how many bytes from the start of `bytes` may be read (the rest of the
    /// line): with 24 of them, a short word is loaded as three integers and masked, instead of
    /// copied byte by byte into a buffer that is then read back.
    @inlinable @inline(__always)
    init(validUTF8 bytes: UnsafeBufferPointer<UInt8>, readableUpTo readable: Int = 0) {
        let count = bytes.count
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        if count <= Word.inlineCapacity, readable >= 24, let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let first = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            let second = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let third = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            words.0 = count >= 8 ? first : first & Word.lowBytes(count)
            words.1 = count >= 16 ? second : (count <= 8 ? 0 : second & Word.lowBytes(count - 8))
            words.2 = count <= 16 ? 0 : third & Word.lowBytes(count - 16)
        } else {
            withUnsafeMutableBytes(of: &words) { raw in
                if let base = bytes.baseAddress {
                    raw.baseAddress!.copyMemory(from: base, byteCount: min(count, Word.inlineCapacity))
                }
            }
            words = (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1), UInt64(littleEndian: words.2))
        }
        head = words.0
        middle = words.1
        let rest = words.2 & 0x00FF_FFFF_FFFF_FFFF
        if count <= Word.inlineCapacity {
            tail = rest | UInt64(count) << 56
            spilled = nil
        } else {
            tail = rest | Word.spilledMarker << 56
            spilled = Array(bytes)
        }
    }

    /// A mask of the low `count` bytes of a word (`count` in 1...7).
    @inlinable @inline(__always)
    static func lowBytes(_ count: Int) -> UInt64 {
        (1 << (8 * UInt64(count))) &- 1
    }

    /// The word `text`.
    public init(_ text: Substring) {
        self.init(String(text))
    }

    /// A word written as a literal: `let swift: Word = "#swift"`.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// The token's text, scalars exactly as they arrived.
    public var text: String {
        withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    public var description: String { text }

    /// The number of UTF-8 bytes.
    @inlinable
    public var utf8Count: Int {
        spilled?.count ?? Int(tail >> 56)
    }

    /// Calls `body` with the word's UTF-8 bytes (valid only during the call).
    @inlinable
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let spilled { return try spilled.withUnsafeBufferPointer(body) }
        var words = (head.littleEndian, middle.littleEndian, tail.littleEndian)
        let count = Int(tail >> 56)
        return try withUnsafeBytes(of: &words) { raw in
            try body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }

    /// Whether the word's UTF-8 starts with `prefix`'s (`#` finds hashtags), without making a
    /// `String` of the word.
    @inlinable
    public func hasPrefix(_ prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { p in
            withUTF8 { bytes in bytes.count >= p.count && compareUTF8(UnsafeBufferPointer(rebasing: bytes[..<p.count]), p) == 0 }
        }
    }

    @inlinable
    public static func == (lhs: Word, rhs: Word) -> Bool {
        guard lhs.head == rhs.head, lhs.middle == rhs.middle, lhs.tail == rhs.tail else { return false }
        guard let left = lhs.spilled, let right = rhs.spilled else { return true }
        return left == right
    }

    /// Code-point order: the first 23 bytes decide as three numbers, and only words that share
    /// them are compared byte by byte.
    @inlinable
    public static func < (lhs: Word, rhs: Word) -> Bool {
        let l = lhs.orderPrefix, r = rhs.orderPrefix
        if l != r { return l < r }
        if lhs.spilled == nil, rhs.spilled == nil { return lhs.tail >> 56 < rhs.tail >> 56 }
        return lhs.withUTF8 { left in rhs.withUTF8 { right in compareUTF8(left, right) < 0 } }
    }

    /// Three numbers that order as the words' first 23 bytes do (code-point order); words that
    /// differ there order as these numbers do, and only words that share them need `<`.
    @usableFromInline
    var orderPrefix: (UInt64, UInt64, UInt64) {
        (head.byteSwapped, middle.byteSwapped, (tail & 0x00FF_FFFF_FFFF_FFFF).byteSwapped)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(_rawHashValue(seed: 0))
    }

    /// What `Dictionary` and `Set` ask for: the three in-place integers (or the bytes of a
    /// longer word) mixed with the table's seed, instead of a SipHash pass per lookup
    /// (measured: 14% of `network-wordcount`'s time). Tables seed per process, and a seed of
    /// 0 (`hashValue`) takes the process's own (`WordHash.seed`): input cannot be crafted to
    /// collide. Consistent with `==`: equal words give equal values for every seed.
    @inlinable
    public func _rawHashValue(seed: Int) -> Int {
        let seed = seed == 0 ? WordHash.seed : UInt64(UInt(bitPattern: seed))
        guard let spilled else { return Int(truncatingIfNeeded: WordHash.hash(head, middle, tail, seed: seed)) }
        return spilled.withUnsafeBytes { Int(truncatingIfNeeded: WordHash.hash($0, seed: seed)) }
    }
}

/// Byte-wise three-way comparison of two UTF-8 buffers (code-point order).
@usableFromInline
func compareUTF8(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
    let common = min(left.count, right.count)
    if common > 0, let l = left.baseAddress, let r = right.baseAddress {
        let order = memcmp(l, r, common)
        if order != 0 { return Int(order) }
    }
    return left.count - right.count
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The hash of a `Word`, seeded by the table that asks (or once per process): a word kept in
/// place is mixed from its three integers with full-width multiplies; a longer one 8 bytes at
/// a time, multiply-and-rotate, with a final avalanche (MurmurHash3's).
@usableFromInline
enum WordHash {
    @usableFromInline static let seed: UInt64 = {
        var hasher = Hasher()
        hasher.combine(0x5EED_F00D as UInt64)
        return UInt64(UInt(bitPattern: hasher.finalize())) | 1
    }()

    /// The hash of a word of up to 23 bytes, from its three in-place integers: two full-width
    /// multiplies side by side, folded by a third (wyhash's mixing). A chain of five
    /// multiplies, one after the other, sat on the path of every map-side lookup.
    @inlinable
    static func hash(_ head: UInt64, _ middle: UInt64, _ tail: UInt64, seed: UInt64) -> UInt64 {
        let a = fold(head ^ 0xA076_1D64_78BD_642F, middle ^ seed)
        let b = fold(tail ^ 0xE703_7ED1_A0B4_28DB, seed ^ 0x8EBC_6AF0_9C88_C6E3)
        return fold(a ^ 0x5899_65CC_7537_4CC3, b ^ 0x1D8E_4E27_C47D_124F)
    }

    /// The high and low halves of a full-width product, exclusive-ored.
    @inlinable @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inlinable
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h = (h << 31) | (h >> 33)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            for j in i..<bytes.count { tail |= UInt64(bytes[j]) << (8 * UInt64(j - i)) }
            h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        }
        return avalanche(h)
    }

    /// MurmurHash3's finalizer: every input bit affects every output bit.
    @inlinable
    static func avalanche(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }
}
