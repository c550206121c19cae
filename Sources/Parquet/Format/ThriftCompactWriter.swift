/// Writes Thrift's compact protocol, the encoding of Parquet's page headers and footer
/// (Apache Thrift, `doc/specs/thrift-compact-protocol.md`).
///
/// Fields are written in increasing id order inside a struct; `field` computes the id delta
/// that the compact protocol packs with the type into one byte.
struct ThriftCompactWriter {
    /// Compact type codes.
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8, list = 9
        case set = 10, map = 11, structure = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastFieldID: [Int16] = [0]

    mutating func i32(_ id: Int16, _ value: Int32) {
        field(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        field(id, .i64)
        varint(zigzag(value))
    }

    mutating func bool(_ id: Int16, _ value: Bool) {
        field(id, value ? .boolTrue : .boolFalse)
    }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        field(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ id: Int16, _ value: String) {
        binary(id, Array(value.utf8))
    }

    /// A struct field: `body` writes its fields.
    mutating func structure(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        field(id, .structure)
        beginStruct()
        body(&self)
        endStruct()
    }

    /// A list field of `count` elements of `type`; `body` writes the elements with the
    /// element writers below.
    mutating func list(_ id: Int16, of type: FieldType, count: Int, _ body: (inout ThriftCompactWriter) -> Void) {
        field(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
        body(&self)
    }

    /// A list element that is an i32.
    mutating func element(i32 value: Int32) {
        varint(zigzag(Int64(value)))
    }

    /// A list element that is a string.
    mutating func element(string value: String) {
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// A list element that is a struct.
    mutating func element(structure body: (inout ThriftCompactWriter) -> Void) {
        beginStruct()
        body(&self)
        endStruct()
    }

    /// A list element that is a struct encoded on its own (another writer's `finish()`).
    mutating func appendRaw(_ encodedStruct: [UInt8]) {
        bytes.append(contentsOf: encodedStruct)
    }

    /// Ends the outermost struct (a whole message such as a page header or the footer).
    mutating func finish() -> [UInt8] {
        bytes.append(0)  // STOP
        return bytes
    }

    private mutating func beginStruct() {
        lastFieldID.append(0)
    }

    private mutating func endStruct() {
        bytes.append(0)  // STOP
        lastFieldID.removeLast()
    }

    private mutating func field(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastFieldID[lastFieldID.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastFieldID[lastFieldID.count - 1] = id
    }

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
