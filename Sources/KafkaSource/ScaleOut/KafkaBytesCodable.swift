import StreamCore

/// A key or value that travels through Kafka between the members of a group: a keyed
/// shuffle's repartition topic and a task's changelog carry it as bytes.
///
/// The encoding must be the same on every member (it also decides a key's task), so it is
/// explicit, never `Codable`'s.
public protocol KafkaBytesCodable: Sendable {
    /// Appends the value's bytes.
    func write(to bytes: inout [UInt8])
    /// Reads a value written by `write(to:)`.
    /// - Throws: `KafkaBytesReader.Truncated` if the bytes end early.
    init(reading reader: inout KafkaBytesReader) throws
}

/// Reads what `KafkaBytesCodable` values and the shuffle's frames wrote.
public struct KafkaBytesReader {
    /// The bytes ended before a value did: the record is not one this version wrote.
    public struct Truncated: Error, CustomStringConvertible {
        public var description: String { "a record ended in the middle of a value" }
    }

    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { position == bytes.count }

    /// An unsigned LEB128 integer.
    public mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw Truncated() }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// A signed integer written zigzag-encoded.
    public mutating func readSigned() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// `count` bytes, lent to `body`.
    public mutating func readBytes<T>(_ count: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        guard count >= 0, count <= bytes.count - position else { throw Truncated() }
        defer { position += count }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[position..<position + count])) }
    }
}

extension Array where Element == UInt8 {
    /// Appends an unsigned LEB128 integer.
    @inlinable
    public mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }

    /// Appends a signed integer zigzag-encoded (small magnitudes take few bytes).
    @inlinable
    public mutating func appendSigned(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
}

extension Int: KafkaBytesCodable {
    public func write(to bytes: inout [UInt8]) { bytes.appendSigned(Int64(self)) }
    public init(reading reader: inout KafkaBytesReader) throws { self = Int(try reader.readSigned()) }
}

extension String: KafkaBytesCodable {
    public func write(to bytes: inout [UInt8]) {
        bytes.appendVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public init(reading reader: inout KafkaBytesReader) throws {
        let count = Int(try reader.readVarint())
        self = try reader.readBytes(count) { String(decoding: $0, as: UTF8.self) }
    }
}

extension Word: KafkaBytesCodable {
    public func write(to bytes: inout [UInt8]) {
        withUTF8 { utf8 in
            bytes.appendVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public init(reading reader: inout KafkaBytesReader) throws {
        let count = Int(try reader.readVarint())
        self = try reader.readBytes(count) { Word(String(decoding: $0, as: UTF8.self)) }
    }
}
