import Dispatch
import Foundation
import Locking
import StreamCore

/// A value `--output jsonl` can write: it appends its JSON text as UTF-8 bytes, with no
/// reflection and no intermediate strings.
public protocol JSONLineValue: Sendable {
    /// Appends this value's JSON to `out`.
    func appendJSON(to out: inout [UInt8])
}

/// Writes records as JSON for `--output jsonl`: a pair is a two-element array, words and
/// strings are JSON strings, numbers stay numbers.
public enum JSONLines {
    /// One line: `{"output":…,"batch":k,"time":ms,"records":[…]}`, without its newline.
    public static func line<T: JSONLineValue>(output: String, batch: Int, time: BatchTime, records: [T]) -> String {
        String(decoding: bytes(output: output, batch: batch, time: time, records: records, appending: false), as: UTF8.self)
    }

    /// A line of key/value pairs, each written as `[key, value]`.
    public static func line<Key: JSONLineValue, Value: JSONLineValue>(
        output: String, batch: Int, time: BatchTime, records: [(Key, Value)]
    ) -> String {
        line(output: output, batch: batch, time: time, records: records.map(JSONPair.init))
    }

    /// The line's bytes, with a newline when `appending` (ready for one write).
    public static func bytes<T: JSONLineValue>(
        output: String, batch: Int, time: BatchTime, records: [T], appending newline: Bool = true
    ) -> [UInt8] {
        bytes(output: output, batch: batch, time: time, partitions: [records], appending: newline) { $0.appendJSON(to: &$1) }
    }

    /// The line of a batch's partitions, each record written by `encode`: records are read
    /// where they are, never gathered or converted first. Large batches are encoded in
    /// chunks on all cores, then joined.
    @inlinable
    public static func bytes<T: Sendable>(
        output: String, batch: Int, time: BatchTime, partitions: [[T]], appending newline: Bool = true,
        encode: @Sendable (T, inout [UInt8]) -> Void
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"output":"#.utf8)
        output.appendJSON(to: &out)
        out.append(contentsOf: #","batch":\#(batch),"time":\#(time.milliseconds),"records":["#.utf8)
        let total = partitions.reduce(0) { $0 + $1.count }
        let chunkCount = total < 4_096 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 4
        let chunks = Chunks(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            // The chunk's records are those at positions [lower, upper) of the partitions read one after another.
            let lower = total * c / chunkCount, upper = total * (c + 1) / chunkCount
            var text: [UInt8] = []
            text.reserveCapacity((upper - lower) * 16)
            var start = 0
            for partition in partitions {
                defer { start += partition.count }
                let from = max(lower, start), to = min(upper, start + partition.count)
                // Records are lent in place: reading them out of the array would copy each.
                partition.withUnsafeBufferPointer { records in
                    for i in from..<max(from, to) {
                        if !text.isEmpty { text.append(UInt8(ascii: ",")) }
                        encode(records[i - start], &text)
                    }
                }
            }
            chunks.set(c, text)
        }
        var first = true
        for text in chunks.all where !text.isEmpty {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: text)
            first = false
        }
        out.append(contentsOf: "]}".utf8)
        if newline { out.append(0x0A) }
        return out
    }

    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var out: [UInt8] = []
        text.appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string: `"` and `\` escaped, control characters as `\n`,
    /// `\r`, `\t` or `\u00XX`, everything else as its UTF-8 (no byte of a multi-byte UTF-8
    /// sequence needs escaping).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    @usableFromInline
    static func appendString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var clean = 0
        for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean..<i]))
            clean = i + 1
            switch byte {
            case 0x22: out.append(contentsOf: #"\""#.utf8)
            case 0x5C: out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            default:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean...]))
        out.append(UInt8(ascii: "\""))
    }
}

/// A key/value pair as JSON: `[key, value]` (tuples cannot conform to protocols).
public struct JSONPair<Key: JSONLineValue, Value: JSONLineValue>: JSONLineValue {
    /// The pair's key.
    public var key: Key
    /// The pair's value.
    public var value: Value

    /// The pair `(key, value)`.
    public init(_ pair: (Key, Value)) {
        (key, value) = pair
    }

    public func appendJSON(to out: inout [UInt8]) {
        Self.appendJSON(key: key, value: value, to: &out)
    }

    /// Appends `[key,value]` without making a pair first.
    @inlinable
    public static func appendJSON(key: Key, value: Value, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        key.appendJSON(to: &out)
        out.append(UInt8(ascii: ","))
        value.appendJSON(to: &out)
        out.append(UInt8(ascii: "]"))
    }
}

/// The encoded chunks of one line, each written by one worker.
@usableFromInline
final class Chunks: Sendable {
    private let chunks: Locked<[[UInt8]]>

    @usableFromInline
    init(count: Int) {
        chunks = Locked(Array(repeating: [], count: count))
    }

    @usableFromInline
    func set(_ index: Int, _ bytes: [UInt8]) {
        chunks.withLock { $0[index] = bytes }
    }

    @usableFromInline
    var all: [[UInt8]] { chunks.withLock { $0 } }
}

extension Word: JSONLineValue {
    @inlinable
    public func appendJSON(to out: inout [UInt8]) { withUTF8 { JSONLines.appendString(utf8: $0, to: &out) } }
}

extension String: JSONLineValue {
    public func appendJSON(to out: inout [UInt8]) { JSONLines.appendString(self, to: &out) }
}

extension Int: JSONLineValue {
    @inlinable
    public func appendJSON(to out: inout [UInt8]) { Int64(self).appendJSON(to: &out) }
}

extension Int64: JSONLineValue {
    public func appendJSON(to out: inout [UInt8]) {
        if self == 0 { return out.append(UInt8(ascii: "0")) }
        var magnitude = self.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { digits in
            while magnitude > 0 {
                digits[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            if self < 0 { out.append(UInt8(ascii: "-")) }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(digits[i]) }
        }
    }
}

extension Double: JSONLineValue {
    /// Finite numbers as Swift prints them (`2.5`, `1e-07`); NaN and infinities as `null`.
    public func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: isFinite ? description.utf8 : "null".utf8)
    }
}

extension Bool: JSONLineValue {
    public func appendJSON(to out: inout [UInt8]) { out.append(contentsOf: (self ? "true" : "false").utf8) }
}

extension Optional: JSONLineValue where Wrapped: JSONLineValue {
    public func appendJSON(to out: inout [UInt8]) {
        if let self { self.appendJSON(to: &out) } else { out.append(contentsOf: "null".utf8) }
    }
}

extension Array: JSONLineValue where Element: JSONLineValue {
    public func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, element) in enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            element.appendJSON(to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// An integer or a real number, for outputs whose records mix them (`[n, mean, …]`).
public enum JSONNumber: JSONLineValue {
    case integer(Int)
    case real(Double)

    public func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .integer(let value): value.appendJSON(to: &out)
        case .real(let value): value.appendJSON(to: &out)
        }
    }
}
