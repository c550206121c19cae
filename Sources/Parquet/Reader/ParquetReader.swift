import Foundation

/// Reads the rows of a Parquet file written with the features `ParquetWriter` uses (flat
/// columns and lists of a flat type; PLAIN and dictionary encodings; data page v1; no
/// compression or gzip), e.g. to compact a Delta table's small files into larger ones.
///
/// ```swift
/// let reader = try ParquetReader(path: "tweets.parquet")
/// for row in try reader.rows(schema: schema) { print(row) }
/// ```
///
/// Anything else (another codec, data page v2, nested groups) is refused with a
/// `ParquetFormatError` that names it, never read wrongly.
public struct ParquetReader: Sendable {
    /// The number of rows the footer declares.
    public let rowCount: Int
    /// The leaf columns' names in file order (`name` for a flat column, `name.list.element` for a list).
    public let columnPaths: [String]
    private let bytes: [UInt8]
    private let rowGroups: [RowGroup]

    private struct ColumnChunk: Sendable {
        var path: [String] = []
        var codec: Int32 = 0
        var valueCount = 0
        var dataPageOffset = 0
        var dictionaryPageOffset: Int?
        var physicalType: Int32 = -1
    }

    private struct RowGroup: Sendable {
        var rows = 0
        var columns: [ColumnChunk] = []
    }

    /// Reads the file's footer.
    /// - Throws: `ParquetFormatError` for a file that is not a complete Parquet file.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParquetFormatError("cannot read \(path)")
        }
        try self.init(bytes: [UInt8](data), name: path)
    }

    /// Reads the footer of a file's `bytes` (from storage that is not a local path).
    /// - Parameter name: what errors call the file.
    public init(bytes: [UInt8], name: String = "the file") throws {
        let path = name
        let magic = Array("PAR1".utf8)
        guard bytes.count >= 12, Array(bytes.prefix(4)) == magic, Array(bytes.suffix(4)) == magic else {
            throw ParquetFormatError("\(path) is not a Parquet file (no PAR1 at both ends: unfinished or damaged)")
        }
        let footerLength = (0..<4).reduce(0) { $0 | Int(bytes[bytes.count - 8 + $1]) << (8 * $1) }
        guard footerLength <= bytes.count - 12 else { throw ParquetFormatError("\(path): footer length past the start") }
        var reader = ThriftCompactReader(bytes, at: bytes.count - 8 - footerLength)
        var rowCount = 0
        var groups: [RowGroup] = []
        try reader.structure { reader, id, type in
            switch (id, type) {
            case (3, .i64): rowCount = Int(try reader.i64())
            case (4, .list):
                let (_, count) = try reader.listHeader()
                for _ in 0..<count { groups.append(try Self.rowGroup(&reader)) }
            default: return false
            }
            return true
        }
        self.bytes = bytes
        self.rowCount = rowCount
        rowGroups = groups
        columnPaths = groups.first?.columns.map { $0.path.joined(separator: ".") } ?? []
    }

    /// All rows, as `schema` (the file's columns, in file order) describes them.
    /// - Throws: `ParquetFormatError` when the file's columns are not `schema`'s, or a page
    ///   cannot be decoded.
    public func rows(schema: ParquetSchema) throws -> [[ParquetValue]] {
        let expected = schema.columns.map { $0.type.isList ? "\($0.name).list.element" : $0.name }
        var rows: [[ParquetValue]] = []
        rows.reserveCapacity(rowCount)
        for group in rowGroups {
            guard group.columns.map({ $0.path.joined(separator: ".") }) == expected else {
                throw ParquetFormatError("the file's columns \(columnPaths) are not the schema's \(expected)")
            }
            let cells = try zip(schema.columns, group.columns).map { column, chunk in
                guard chunk.physicalType == ParquetWriter.physicalType(column.type) else {
                    throw ParquetFormatError(
                        "column \(column.name) is stored as physical type \(chunk.physicalType), not \(column.type)")
                }
                return try cellsOf(chunk, column: column, rows: group.rows)
            }
            for row in 0..<group.rows { rows.append(cells.map { $0[row] }) }
        }
        return rows
    }

    private static func rowGroup(_ reader: inout ThriftCompactReader) throws -> RowGroup {
        var group = RowGroup()
        try reader.structure { reader, id, type in
            switch (id, type) {
            case (1, .list):
                let (_, count) = try reader.listHeader()
                for _ in 0..<count { group.columns.append(try columnChunk(&reader)) }
            case (3, .i64): group.rows = Int(try reader.i64())
            default: return false
            }
            return true
        }
        return group
    }

    private static func columnChunk(_ reader: inout ThriftCompactReader) throws -> ColumnChunk {
        var chunk = ColumnChunk()
        try reader.structure { reader, id, type in
            guard id == 3, type == .structure else { return false }
            try reader.structure { meta, id, type in
                switch (id, type) {
                case (1, .i32): chunk.physicalType = try meta.i32()
                case (3, .list):
                    let (_, count) = try meta.listHeader()
                    for _ in 0..<count { chunk.path.append(try meta.string()) }
                case (4, .i32): chunk.codec = try meta.i32()
                case (5, .i64): chunk.valueCount = Int(try meta.i64())
                case (9, .i64): chunk.dataPageOffset = Int(try meta.i64())
                case (11, .i64): chunk.dictionaryPageOffset = Int(try meta.i64())
                default: return false
                }
                return true
            }
            return true
        }
        return chunk
    }

    /// One cell per row of the chunk's column.
    private func cellsOf(_ chunk: ColumnChunk, column: ParquetSchema.Column, rows: Int) throws -> [ParquetValue] {
        let leaf = column.type.leaf
        let maxDefinition = column.maxDefinitionLevel, maxRepetition = column.maxRepetitionLevel
        var dictionary: [ParquetValue]?
        var cells: [ParquetValue] = []
        cells.reserveCapacity(rows)
        var list: [ParquetValue]?  // the list being assembled
        var offset = chunk.dictionaryPageOffset.map { min($0, chunk.dataPageOffset) } ?? chunk.dataPageOffset
        var levelsRead = 0
        while levelsRead < chunk.valueCount {
            guard offset >= 0, offset < bytes.count else { throw ParquetFormatError("a page offset past the end") }
            let page = try PageHeader(bytes, at: offset)
            let start = page.bodyOffset
            guard page.compressedSize >= 0, page.compressedSize <= bytes.count - start else {
                throw ParquetFormatError("a page past the end")
            }
            let body = try ParquetCompression.decompress(
                bytes[start..<start + page.compressedSize], codec: chunk.codec, size: page.uncompressedSize)
            offset = start + page.compressedSize
            if page.type == 2 {
                dictionary = try Self.plainValues(body[...], of: leaf, count: page.valueCount)
                continue
            }
            guard page.type == 0 else { throw ParquetFormatError("page type \(page.type) is not supported (data page v1 only)") }
            var cursor = body[...]
            let repetition = maxRepetition > 0 ? try Self.levels(&cursor, maximum: maxRepetition, count: page.valueCount) : nil
            let definition = maxDefinition > 0 ? try Self.levels(&cursor, maximum: maxDefinition, count: page.valueCount) : nil
            let present = definition.map { $0.reduce(0) { $0 + ($1 == maxDefinition ? 1 : 0) } } ?? page.valueCount
            var values: [ParquetValue]
            switch page.encoding {
            case 0: values = try Self.plainValues(cursor, of: leaf, count: present)
            case 2, 8:
                guard let dictionary else { throw ParquetFormatError("dictionary indices without a dictionary page") }
                guard let width = cursor.first else { throw ParquetFormatError("a data page without a bit width") }
                let indices = try RLEHybrid.decode(cursor.dropFirst(), bitWidth: Int(width), count: present)
                values = try indices.map { index in
                    guard Int(index) < dictionary.count else { throw ParquetFormatError("a dictionary index out of range") }
                    return dictionary[Int(index)]
                }
            default: throw ParquetFormatError("value encoding \(page.encoding) is not supported")
            }
            var next = 0
            for i in 0..<page.valueCount {
                let level = definition?[i] ?? maxDefinition
                let value: ParquetValue? = level == maxDefinition ? values[next] : nil
                if value != nil { next += 1 }
                if column.type.isList {
                    if repetition?[i] == 0, let finished = list {
                        cells.append(.list(finished))
                        list = nil
                    }
                    if let value {
                        if list == nil { list = [] }
                        list!.append(value)
                    } else if level == maxDefinition - 1 {
                        list = []
                    } else {
                        cells.append(.null)
                    }
                } else {
                    cells.append(value ?? .null)
                }
            }
            levelsRead += page.valueCount
        }
        if let list { cells.append(.list(list)) }
        guard cells.count == rows else {
            throw ParquetFormatError("column \(column.name) holds \(cells.count) rows, not \(rows)")
        }
        return cells
    }

    private static func levels(_ cursor: inout ArraySlice<UInt8>, maximum: Int, count: Int) throws -> [Int] {
        guard cursor.count >= 4 else { throw ParquetFormatError("levels end early") }
        let length = (0..<4).reduce(0) { $0 | Int(cursor[cursor.startIndex + $1]) << (8 * $1) }
        guard length <= cursor.count - 4 else { throw ParquetFormatError("levels end early") }
        let encoded = cursor.dropFirst(4).prefix(length)
        cursor = cursor.dropFirst(4 + length)
        return try RLEHybrid.decode(encoded, bitWidth: RLEHybrid.bitWidth(maximum), count: count).map { Int($0) }
    }

    /// `count` PLAIN values of `type` (timestamps typed as such: they are stored as INT64).
    private static func plainValues(_ bytes: ArraySlice<UInt8>, of type: ParquetSchema.ColumnType, count: Int) throws
        -> [ParquetValue]
    {
        var values: [ParquetValue] = []
        values.reserveCapacity(count)
        var i = bytes.startIndex
        func word(_ size: Int) throws -> UInt64 {
            guard size <= bytes.endIndex - i else { throw ParquetFormatError("values end early") }
            defer { i += size }
            return (0..<size).reduce(0) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) }
        }
        switch type {
        case .boolean:
            guard (count + 7) / 8 <= bytes.count else { throw ParquetFormatError("values end early") }
            for k in 0..<count { values.append(.boolean(bytes[i + k / 8] >> (k % 8) & 1 == 1)) }
            i += (count + 7) / 8
        case .int64, .timestampMillis:
            for _ in 0..<count {
                let number = Int64(bitPattern: try word(8))
                values.append(type == .timestampMillis ? .timestampMillis(number) : .int64(number))
            }
        case .double:
            for _ in 0..<count { values.append(.double(Double(bitPattern: try word(8)))) }
        case .string:
            for _ in 0..<count {
                let length = Int(try word(4))
                guard length <= bytes.endIndex - i else { throw ParquetFormatError("values end early") }
                values.append(.string(String(decoding: bytes[i..<i + length], as: UTF8.self)))
                i += length
            }
        case .list: throw ParquetFormatError("a list is not a leaf type")
        }
        return values
    }
}

/// A page header: what the page is, its sizes, and (for data pages) its value count and encoding.
private struct PageHeader {
    var type: Int32 = -1
    var uncompressedSize = 0
    var compressedSize = 0
    var valueCount = 0
    var encoding: Int32 = 0
    var bodyOffset = 0

    init(_ bytes: [UInt8], at offset: Int) throws {
        var reader = ThriftCompactReader(bytes, at: offset)
        var header = self
        try reader.structure { reader, id, type in
            switch (id, type) {
            case (1, .i32): header.type = try reader.i32()
            case (2, .i32): header.uncompressedSize = Int(try reader.i32())
            case (3, .i32): header.compressedSize = Int(try reader.i32())
            case (5, .structure), (7, .structure):  // data page header, dictionary page header
                try reader.structure { inner, id, type in
                    switch (id, type) {
                    case (1, .i32): header.valueCount = Int(try inner.i32())
                    case (2, .i32): header.encoding = try inner.i32()
                    default: return false
                    }
                    return true
                }
            default: return false
            }
            return true
        }
        header.bodyOffset = reader.offset
        self = header
    }
}
