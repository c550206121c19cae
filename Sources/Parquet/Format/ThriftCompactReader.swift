/// Reads Thrift's compact protocol (page headers and the footer), skipping fields it is not
/// asked for, and refusing input that ends early or nests without end.
struct ThriftCompactReader {
    typealias FieldType = ThriftCompactWriter.FieldType

    private let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], at offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Reads a struct: `field` is called with each field's id and type, and must read the
    /// field's value or return false to have it skipped.
    mutating func structure(depth: Int = 0, _ field: (inout ThriftCompactReader, Int16, FieldType) throws -> Bool) throws {
        guard depth < 32 else { throw ParquetFormatError("Thrift structures nested too deep") }
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return }  // STOP
            guard let type = FieldType(rawValue: header & 0x0F) else { throw ParquetFormatError("unknown Thrift type") }
            let delta = Int16(header >> 4)
            let id = delta != 0 ? lastID &+ delta : Int16(truncatingIfNeeded: zigzagDecode(try varint()))
            lastID = id
            if !(try field(&self, id, type)) { try skip(type, depth: depth) }
        }
    }

    /// The value of a boolean field (the compact protocol keeps it in the type).
    func bool(_ type: FieldType) -> Bool { type == .boolTrue }

    mutating func i32() throws -> Int32 { Int32(truncatingIfNeeded: zigzagDecode(try varint())) }
    mutating func i64() throws -> Int64 { zigzagDecode(try varint()) }

    mutating func binary() throws -> ArraySlice<UInt8> {
        let count = Int(try varint())
        guard count >= 0, count <= bytes.count - offset else { throw ParquetFormatError("Thrift binary past the end") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func string() throws -> String { String(decoding: try binary(), as: UTF8.self) }

    /// Reads a list header: the element type and count.
    mutating func listHeader() throws -> (FieldType, Int) {
        let header = try byte()
        guard let type = FieldType(rawValue: header & 0x0F) else { throw ParquetFormatError("unknown Thrift type") }
        let count = header >> 4 == 15 ? Int(try varint()) : Int(header >> 4)
        guard count >= 0, count <= bytes.count - offset else { throw ParquetFormatError("Thrift list too long") }
        return (type, count)
    }

    mutating func skip(_ type: FieldType, depth: Int = 0) throws {
        switch type {
        case .boolTrue, .boolFalse: break
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double: try advance(8)
        case .binary: _ = try binary()
        case .list, .set:
            let (element, count) = try listHeader()
            for _ in 0..<count {
                if element == .boolTrue || element == .boolFalse { _ = try byte() } else { try skip(element, depth: depth + 1) }
            }
        case .map:
            let count = Int(try varint())
            guard count > 0 else { return }
            let types = try byte()
            guard let key = FieldType(rawValue: types >> 4), let value = FieldType(rawValue: types & 0x0F) else {
                throw ParquetFormatError("unknown Thrift type")
            }
            for _ in 0..<count {
                try skip(key, depth: depth + 1)
                try skip(value, depth: depth + 1)
            }
        case .structure: try structure(depth: depth + 1) { _, _, _ in false }
        }
    }

    private mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw ParquetFormatError("Thrift data ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func advance(_ count: Int) throws {
        guard count <= bytes.count - offset else { throw ParquetFormatError("Thrift data ends early") }
        offset += count
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            let next = try byte()
            value |= UInt64(next & 0x7F) << UInt64(shift)
            if next & 0x80 == 0 { return value }
        }
        throw ParquetFormatError("Thrift varint too long")
    }

    private func zigzagDecode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}

/// A file that is not Parquet as this module reads it (damaged, truncated, or using a feature
/// it does not implement).
public struct ParquetFormatError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
