import Foundation
import Parquet
import StreamTestSupport
import Testing

/// `ParquetReader` reads back what `ParquetWriter` wrote (what `lake compact` relies on), and
/// refuses what it cannot read rather than guessing.
@Suite("Reading Parquet files back")
struct ParquetReaderTests {
    @Test(arguments: [ParquetCompression.gzip(), .uncompressed])
    func everyTypeNullsAndListsComeBackAsWritten(compression: ParquetCompression) throws {
        let path = try write(ParquetFileTests.rows, schema: ParquetFileTests.tweets, compression: compression)
        let reader = try ParquetReader(path: path)
        #expect(reader.rowCount == ParquetFileTests.rows.count)
        #expect(reader.columnPaths.last == "hashtags.list.element")
        #expect(try reader.rows(schema: ParquetFileTests.tweets) == ParquetFileTests.rows)
    }

    @Test func randomSchemasRowGroupsAndPagesComeBackAsWritten() throws {
        var random = SplitMix(seed: 3003)
        for _ in 0..<16 {
            let columns = (0..<random.next(upTo: 6) + 1).map { i in
                ParquetSchema.Column(
                    "c\(i)", ParquetFileTests.types[random.next(upTo: ParquetFileTests.types.count)],
                    optional: random.next(upTo: 2) == 0)
            }
            let schema = ParquetSchema(columns)
            let rows = (0..<random.next(upTo: 3000)).map { _ in columns.map { random.value(for: $0) } }
            let path = try write(
                rows, schema: schema, compression: random.next(upTo: 2) == 0 ? .gzip() : .uncompressed,
                rowGroupBytes: 1 << random.next(upTo: 20) + 1024, pageBytes: 1 << random.next(upTo: 16) + 64)
            let read = try ParquetReader(path: path).rows(schema: schema)
            #expect(read.count == rows.count)
            #expect(read.indices.first { read[$0] != rows[$0] } == nil, "schema \(columns)")
        }
    }

    @Test func anUnfinishedFileOrAnotherSchemaIsRefused() throws {
        let path = try write(ParquetFileTests.rows, schema: ParquetFileTests.tweets, compression: .gzip())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let truncated = temporaryPath()
        try bytes.dropLast(9).write(to: URL(fileURLWithPath: truncated))
        #expect(throws: ParquetFormatError.self) { try ParquetReader(path: truncated) }
        let other = ParquetSchema([.init("id", .int64)])
        #expect(throws: ParquetFormatError.self) { try ParquetReader(path: path).rows(schema: other) }
        let retyped = ParquetSchema(ParquetFileTests.tweets.columns.map { $0.name == "id" ? .init("id", .string) : $0 })
        #expect(throws: ParquetFormatError.self, "same names, another type") {
            try ParquetReader(path: path).rows(schema: retyped)
        }
    }

    private func write(
        _ rows: [[ParquetValue]], schema: ParquetSchema, compression: ParquetCompression,
        rowGroupBytes: Int = 64 << 20, pageBytes: Int = 1 << 20
    ) throws -> String {
        let path = temporaryPath()
        let writer = try ParquetWriter(
            path: path, schema: schema, compression: compression, rowGroupBytes: rowGroupBytes, pageBytes: pageBytes)
        for row in rows { try writer.write(row) }
        try writer.close()
        return path
    }
}
