/// A token used as a key: equal only when its Unicode scalars are identical.
///
/// Swift's `String ==` treats canonically equivalent strings as equal, so NFC `été` and NFD
/// `été` would be one key; Spark (and Python) keep them apart. `Word` compares, hashes and
/// orders by UTF-8 bytes, which is code-point order.
///
/// - Important: Use `Word`, not `String`, for keys that must match Spark's counts exactly.
public struct Word: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The token's text, scalars exactly as they arrived.
    public let text: String

    /// The word `text` (its UTF-8 is made contiguous once, for fast hashing and comparing).
    public init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
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
        compareBytes(lhs.text, rhs.text) == 0
    }

    public static func < (lhs: Word, rhs: Word) -> Bool {
        compareBytes(lhs.text, rhs.text) < 0
    }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Byte-wise three-way comparison of two strings' UTF-8 (code-point order).
private func compareBytes(_ lhs: String, _ rhs: String) -> Int {
    var lhs = lhs
    var rhs = rhs
    return lhs.withUTF8 { left in
        rhs.withUTF8 { right in
            let common = min(left.count, right.count)
            if common > 0, let l = left.baseAddress, let r = right.baseAddress {
                let order = memcmp(l, r, common)
                if order != 0 { return Int(order) }
            }
            return left.count - right.count
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
