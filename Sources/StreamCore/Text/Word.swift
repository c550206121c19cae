/// A token used as a key: equal only when its Unicode scalars are identical.
///
/// Swift's `String ==` treats canonically equivalent strings as equal, so NFC `été` and NFD
/// `été` would be one key; Spark (and Python) keep them apart. `Word` compares, hashes and
/// orders by UTF-8 bytes, which is code-point order.
///
/// A word carries a 64-bit hash of its bytes, computed once when it is made (while
/// tokenizing), so hashing a key in a shuffle or a state lookup costs one `combine` of a
/// number, and unequal keys rarely reach a byte comparison. The hash is seeded per process
/// (from Swift's own seed, so `SWIFT_DETERMINISTIC_HASHING=1` fixes it too): input cannot
/// be crafted to collide.
///
/// - Important: Use `Word`, not `String`, for keys that must match Spark's counts exactly.
public struct Word: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The token's text, scalars exactly as they arrived.
    public let text: String
    /// The seeded hash of `text`'s UTF-8.
    @usableFromInline let hashBits: UInt64

    /// The word `text` (its UTF-8 is made contiguous once, for fast hashing and comparing).
    public init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        hashBits = text.withUTF8 { WordHash.hash(UnsafeRawBufferPointer($0)) }
        self.text = text
    }

    /// A word made from UTF-8 bytes known to be valid (a slice of a `String` cut at scalar
    /// boundaries), hashed while the bytes are at hand.
    @inlinable
    init(validUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        hashBits = WordHash.hash(UnsafeRawBufferPointer(bytes))
        text = String(decoding: bytes, as: UTF8.self)
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

    public var description: String { text }

    public static func == (lhs: Word, rhs: Word) -> Bool {
        lhs.hashBits == rhs.hashBits && compareBytes(lhs.text, rhs.text) == 0
    }

    public static func < (lhs: Word, rhs: Word) -> Bool {
        compareBytes(lhs.text, rhs.text) < 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hashBits)
    }

    /// What `Dictionary` and `Set` ask for: the carried hash, mixed with the table's seed,
    /// instead of a SipHash pass per lookup (measured: 14% of `network-wordcount`'s time).
    /// Consistent with `hash(into:)`: equal words give equal values for every seed.
    public func _rawHashValue(seed: Int) -> Int {
        var h = hashBits ^ UInt64(UInt(bitPattern: seed))
        h = h &* 0xFF51_AFD7_ED55_8CCD
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }
}

/// Byte-wise three-way comparison of two strings' UTF-8 (code-point order).
private func compareBytes(_ lhs: String, _ rhs: String) -> Int {
    // Borrowed storage: no copy of either string (a `var` copy costs a retain and a release).
    let order = lhs.utf8.withContiguousStorageIfAvailable { left in
        rhs.utf8.withContiguousStorageIfAvailable { right in compare(left, right) }
    }
    if let order = order ?? nil { return order }
    var lhs = lhs, rhs = rhs  // not contiguous (bridged): make it so
    return lhs.withUTF8 { left in rhs.withUTF8 { right in compare(left, right) } }
}

private func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
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

/// The hash `Word` carries: 8 bytes at a time, multiply-and-rotate, with a final avalanche
/// (MurmurHash3's), seeded once per process.
@usableFromInline
enum WordHash {
    @usableFromInline static let seed: UInt64 = {
        var hasher = Hasher()
        hasher.combine(0x5EED_F00D as UInt64)
        return UInt64(UInt(bitPattern: hasher.finalize())) | 1
    }()

    @inlinable
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
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
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }
}
