import Foundation

/// Writes rows to a Parquet file (format version 1: data page v1, PLAIN and dictionary
/// encodings, RLE/bit-packed levels, optional gzip), streaming: a row group is written as
/// soon as its buffered values reach `rowGroupBytes`, so memory stays near one row group.
///
/// ```swift
/// let writer = try ParquetWriter(path: "tweets.parquet", schema: schema, compression: .gzip())
/// try writer.write([.int64(1), .timestampMillis(1_715_624_525_000), .string("hello"), .list([.string("swift")])])
/// try writer.close()
/// ```
public final class ParquetWriter {
    /// The file's columns.
    public let schema: ParquetSchema
    private let compression: ParquetCompression
    private let rowGroupBytes: Int
    private let pageBytes: Int
    private let output: FileHandle
    private var offset: Int64 = 0
    private var columns: [ColumnBuffer]
    private var rowGroups: [[UInt8]] = []  // encoded RowGroup structs for the footer
    private var rowCount: Int64 = 0
    private var closed = false

    /// Creates (or truncates) the file at `path`.
    /// - Parameters:
    ///   - rowGroupBytes: buffered values (about their PLAIN size) that close a row group.
    ///   - pageBytes: values per data page, about.
    public init(
        path: String, schema: ParquetSchema, compression: ParquetCompression = .gzip(),
        rowGroupBytes: Int = 64 << 20, pageBytes: Int = 1 << 20
    ) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let output = FileHandle(forWritingAtPath: path) else {
            throw ParquetSchemaError(description: "cannot create \(path)")
        }
        self.output = output
        self.schema = schema
        self.compression = compression
        self.rowGroupBytes = rowGroupBytes
        self.pageBytes = pageBytes
        columns = schema.columns.map(ColumnBuffer.init)
        try emit(Self.magic)
    }

    deinit {
        if !closed { try? output.close() }
    }

    /// Appends one row: a value per column, in schema order.
    /// - Throws: `ParquetSchemaError` for a row that does not fit (nothing of it is written).
    public func write(_ row: [ParquetValue]) throws {
        guard !closed else { throw ParquetSchemaError(description: "the writer is closed") }
        guard row.count == columns.count else {
            throw ParquetSchemaError(description: "a row of \(row.count) values for \(columns.count) columns")
        }
        for i in row.indices { try columns[i].check(row[i]) }
        for i in row.indices { try columns[i].append(row[i]) }
        if columns.reduce(0, { $0 + $1.estimatedBytes }) >= rowGroupBytes { try flushRowGroup() }
    }

    /// Writes the last row group and the footer, and closes the file. A file not closed has
    /// no footer: readers refuse it, so a crash never leaves a file that looks complete.
    public func close() throws {
        guard !closed else { return }
        try flushRowGroup()
        var footer = ThriftCompactWriter()
        footer.i32(1, 1)
        let elements = schemaElements()
        footer.list(2, of: .structure, count: elements.count) { list in
            for element in elements { list.element(structure: element) }
        }
        footer.i64(3, rowCount)
        footer.list(4, of: .structure, count: rowGroups.count) { list in
            for group in rowGroups { list.appendRaw(group) }
        }
        footer.string(6, "swift-streaming Parquet writer")
        footer.list(7, of: .structure, count: schema.columns.count) { list in
            for _ in schema.columns { list.element { $0.structure(1) { _ in } } }  // TYPE_ORDER
        }
        let bytes = footer.finish()
        try emit(bytes)
        var length: [UInt8] = []
        appendLength(bytes.count, to: &length)
        try emit(length + Self.magic)
        try output.close()
        closed = true
    }

    private static let magic = Array("PAR1".utf8)

    private func emit(_ bytes: [UInt8]) throws {
        try output.write(contentsOf: bytes)
        offset += Int64(bytes.count)
    }

    private func flushRowGroup() throws {
        guard let rows = columns.first?.rowCount, rows > 0 else { return }
        let start = offset
        var chunks: [(metadata: [UInt8], uncompressed: Int, compressed: Int)] = []
        for column in columns {
            let chunk = column.encodePages(compression: compression, pageBytes: pageBytes)
            let chunkStart = offset
            try emit(chunk.bytes)
            chunks.append((metadata(of: column, chunk, at: chunkStart), chunk.uncompressedSize, chunk.bytes.count))
        }
        var group = ThriftCompactWriter()
        group.list(1, of: .structure, count: chunks.count) { list in
            for chunk in chunks { list.appendRaw(chunk.metadata) }
        }
        group.i64(2, Int64(chunks.reduce(0) { $0 + $1.uncompressed }))
        group.i64(3, Int64(rows))
        group.i64(5, start)
        group.i64(6, Int64(chunks.reduce(0) { $0 + $1.compressed }))
        rowGroups.append(group.finish())
        rowCount += Int64(rows)
        columns = schema.columns.map(ColumnBuffer.init)
    }

    /// A ColumnChunk struct (with its ColumnMetaData), encoded.
    private func metadata(of column: ColumnBuffer, _ chunk: EncodedChunk, at chunkStart: Int64) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.i64(2, chunkStart)
        writer.structure(3) { meta in
            meta.i32(1, Self.physicalType(column.column.type.leaf))
            meta.list(2, of: .i32, count: chunk.encodings.count) { list in
                for encoding in chunk.encodings { list.element(i32: encoding) }
            }
            let path = column.column.type.isList ? [column.column.name, "list", "element"] : [column.column.name]
            meta.list(3, of: .binary, count: path.count) { list in
                for part in path { list.element(string: part) }
            }
            meta.i32(4, compression.codec)
            meta.i64(5, Int64(chunk.valueCount))
            meta.i64(6, Int64(chunk.uncompressedSize))
            meta.i64(7, Int64(chunk.bytes.count))
            meta.i64(9, chunkStart + Int64(chunk.firstDataPageStart ?? 0))
            if let dictionary = chunk.dictionaryPageStart { meta.i64(11, chunkStart + Int64(dictionary)) }
            meta.structure(12) { statistics in
                statistics.i64(3, column.statistics.nullCount)
                if let bounds = column.statistics.encodedBounds {
                    statistics.binary(5, bounds.max)
                    statistics.binary(6, bounds.min)
                }
            }
        }
        return writer.finish()
    }

    /// The schema as Parquet's flattened tree: the root, then each column (a list as its
    /// three levels: the annotated group, the repeated `list` group, the `element`).
    private func schemaElements() -> [(inout ThriftCompactWriter) -> Void] {
        let count = Int32(schema.columns.count)
        var elements: [(inout ThriftCompactWriter) -> Void] = [
            { root in
                root.string(4, "schema")
                root.i32(5, count)
            }
        ]
        for column in schema.columns {
            let repetition: Int32 = column.optional ? 1 : 0
            guard case .list(let element) = column.type else {
                elements.append { Self.leaf(&$0, name: column.name, type: column.type, repetition: repetition) }
                continue
            }
            elements.append { group in
                group.i32(3, repetition)
                group.string(4, column.name)
                group.i32(5, 1)
                group.i32(6, 3)  // converted type LIST
                group.structure(10) { logical in logical.structure(3) { _ in } }  // LogicalType.LIST
            }
            elements.append { list in
                list.i32(3, 2)  // REPEATED
                list.string(4, "list")
                list.i32(5, 1)
            }
            elements.append { Self.leaf(&$0, name: "element", type: element, repetition: 0) }
        }
        return elements
    }

    private static func leaf(_ writer: inout ThriftCompactWriter, name: String, type: ParquetSchema.ColumnType, repetition: Int32)
    {
        writer.i32(1, physicalType(type))
        writer.i32(3, repetition)
        writer.string(4, name)
        switch type {
        case .string:
            writer.i32(6, 0)  // UTF8
            writer.structure(10) { logical in logical.structure(1) { _ in } }  // STRING
        case .timestampMillis:
            writer.i32(6, 9)  // TIMESTAMP_MILLIS
            writer.structure(10) { logical in
                logical.structure(8) { timestamp in
                    timestamp.bool(1, true)  // adjusted to UTC
                    timestamp.structure(2) { unit in unit.structure(1) { _ in } }  // MILLIS
                }
            }
        default: break
        }
    }

    /// Parquet's physical type number for a column type (a list's is its element's).
    static func physicalType(_ type: ParquetSchema.ColumnType) -> Int32 {
        switch type {
        case .boolean: 0
        case .int64, .timestampMillis: 2
        case .double: 5
        case .string: 6
        case .list(let element): physicalType(element)
        }
    }
}
