import Foundation

/// A type whose arrays are checkpointed as compact binary columns rather than JSON: the keys
/// and values of large keyed state encode an order of magnitude faster this way.
@usableFromInline
protocol BinaryColumn {
    static func append(_ column: [Self], to data: inout Data)
    static func read(_ count: Int, from reader: inout ByteReader) throws -> [Self]
}

/// Reads what `BinaryColumn` wrote, refusing truncated input.
@usableFromInline
struct ByteReader {
    let data: Data
    var offset: Int

    init(_ data: Data) {
        self.data = data
        offset = data.startIndex
    }

    mutating func bytes(_ count: Int) throws -> Data.SubSequence {
        guard count >= 0, offset + count <= data.endIndex else { throw CheckpointFileError.malformed("truncated column") }
        defer { offset += count }
        return data[offset..<offset + count]
    }

    mutating func int64() throws -> Int64 {
        var value: Int64 = 0
        let slice = try bytes(8)
        withUnsafeMutableBytes(of: &value) { _ = slice.copyBytes(to: $0) }
        return Int64(littleEndian: value)
    }
}

extension Data {
    mutating func appendInt64(_ value: Int64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension Int: BinaryColumn {
    @usableFromInline static func append(_ column: [Int], to data: inout Data) {
        #if _endian(little) && _pointerBitWidth(_64)
            column.withUnsafeBytes { data.append(contentsOf: $0) }  // the column's memory is already the format: one copy
        #else
            data.reserveCapacity(data.count + column.count * 8)
            for value in column { data.appendInt64(Int64(value)) }
        #endif
    }

    @usableFromInline static func read(_ count: Int, from reader: inout ByteReader) throws -> [Int] {
        try (0..<count).map { _ in Int(try reader.int64()) }
    }
}

extension Double: BinaryColumn {
    @usableFromInline static func append(_ column: [Double], to data: inout Data) {
        for value in column { data.appendInt64(Int64(bitPattern: value.bitPattern)) }
    }

    @usableFromInline static func read(_ count: Int, from reader: inout ByteReader) throws -> [Double] {
        try (0..<count).map { _ in Double(bitPattern: UInt64(bitPattern: try reader.int64())) }
    }
}

extension String: BinaryColumn {
    @usableFromInline static func append(_ column: [String], to data: inout Data) {
        appendLengthPrefixed(column, to: &data) { text, body in
            var text = text
            text.withUTF8(body)
        }
    }

    @usableFromInline static func read(_ count: Int, from reader: inout ByteReader) throws -> [String] {
        try (0..<count).map { _ in
            let bytes = try reader.bytes(Int(try reader.int64()))
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CheckpointFileError.malformed("invalid UTF-8")
            }
            return text
        }
    }
}

extension Word: BinaryColumn {
    @usableFromInline static func append(_ column: [Word], to data: inout Data) {
        appendLengthPrefixed(column, to: &data) { word, body in word.withUTF8(body) }
    }

    @usableFromInline static func read(_ count: Int, from reader: inout ByteReader) throws -> [Word] {
        try String.read(count, from: &reader).map { Word($0) }
    }
}

/// Appends each element's bytes after their count (8 bytes, little-endian), gathered in one
/// array first: appending to `Data` twice per element was most of a large state's checkpoint.
private func appendLengthPrefixed<Element>(
    _ column: [Element], to data: inout Data,
    bytesOf: (Element, (UnsafeBufferPointer<UInt8>) -> Void) -> Void
) {
    var out: [UInt8] = []
    out.reserveCapacity(column.count * 24)
    for element in column {
        bytesOf(element) { bytes in
            withUnsafeBytes(of: Int64(bytes.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
    }
    data.append(contentsOf: out)
}

extension StampedState: BinaryColumn where Value: BinaryColumn {
    @usableFromInline static func append(_ column: [StampedState], to data: inout Data) {
        Value.append(column.map(\.value), to: &data)
    }

    @usableFromInline static func read(_ count: Int, from reader: inout ByteReader) throws -> [StampedState] {
        try Value.read(count, from: &reader).map { StampedState(value: $0, stamp: 0) }
    }
}

/// Key/value pairs as checkpoint bytes: binary columns when both types allow, else JSON.
enum PairEncoding {
    private static let binary: UInt8 = 1
    private static let json: UInt8 = 2

    static func encode<Key: Codable, Value: Codable>(_ pairs: some Sequence<(Key, Value)>) throws -> Data {
        try encode(PairColumns(records: pairs))
    }

    private static func encode<Key: Codable, Value: Codable>(_ columns: PairColumns<Key, Value>) throws -> Data {
        if let keyType = Key.self as? any BinaryColumn.Type, let valueType = Value.self as? any BinaryColumn.Type {
            var data = Data()
            data.append(binary)
            data.appendInt64(Int64(columns.keys.count))
            appendColumn(columns.keys, as: keyType, to: &data)
            appendColumn(columns.values, as: valueType, to: &data)
            return data
        }
        var data = Data()
        data.append(json)
        data.append(try JSONEncoder().encode(columns))
        return data
    }

    /// Hash-partitioned dictionaries (keyed state) as pairs.
    static func encode<Key: Codable & Hashable, Value: Codable>(partitions: [[Key: Value]]) throws -> Data {
        try encode(PairColumns(partitions: partitions))
    }

    /// Pairs spread over `count` hash partitions by this process's hashing (partitions of a
    /// previous run do not match: hash seeds differ per process).
    static func decode<Key: Codable & Hashable, Value: Codable>(_ data: Data, partitionedInto count: Int) throws -> [[Key: Value]]
    {
        var partitions = [[Key: Value]](repeating: [:], count: count)
        for (key, value) in try decode(data, as: (Key, Value).self) {
            partitions[[Key: Value].partition(of: key, among: count)][key] = value
        }
        return partitions
    }

    static func decode<Key: Codable, Value: Codable>(_ data: Data, as: (Key, Value).Type = (Key, Value).self) throws -> [(
        Key, Value
    )] {
        guard let format = data.first else { throw CheckpointFileError.malformed("empty state") }
        let body = data.dropFirst()
        if format == json { return try JSONDecoder().decode(PairColumns<Key, Value>.self, from: body).records }
        guard format == binary, let keyType = Key.self as? any BinaryColumn.Type,
            let valueType = Value.self as? any BinaryColumn.Type
        else { throw CheckpointFileError.malformed("state encoding \(format) does not fit \(Key.self) → \(Value.self)") }
        var reader = ByteReader(Data(body))
        let count = Int(try reader.int64())
        let keys = try readColumn(count, as: keyType, from: &reader, of: Key.self)
        let values = try readColumn(count, as: valueType, from: &reader, of: Value.self)
        return Array(zip(keys, values))
    }

    /// `Element` and `Column` are the same type, checked at run time; the cast is free.
    private static func appendColumn<Element, Column: BinaryColumn>(
        _ column: [Element], as type: Column.Type, to data: inout Data
    ) {
        precondition(Element.self == Column.self)
        Column.append(unsafeBitCast(column, to: [Column].self), to: &data)
    }

    private static func readColumn<Column: BinaryColumn, Element>(
        _ count: Int, as type: Column.Type, from reader: inout ByteReader, of element: Element.Type
    ) throws -> [Element] {
        precondition(Element.self == Column.self)
        return unsafeBitCast(try Column.read(count, from: &reader), to: [Element].self)
    }
}
