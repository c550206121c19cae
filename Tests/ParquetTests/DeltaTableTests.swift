import DeltaLake
import Foundation
import Parquet
import Testing

/// Delta tables written here are read back by delta-rs (the `deltalake` package).
@Suite(
    "Delta tables read by delta-rs",
    .enabled(
        if: ProcessInfo.processInfo.environment["PARQUET_READER_PYTHON"] != nil,
        "set PARQUET_READER_PYTHON (scripts/test.sh runs scripts/parquet-readers.sh and sets it)"))
struct DeltaTableTests {
    let schema = ParquetSchema([
        .init("id", .int64),
        .init("created_at", .timestampMillis, optional: true),
        .init("text", .string),
        .init("hashtags", .list(.string), optional: true),
    ])

    func row(_ id: Int64) -> [ParquetValue] {
        [.int64(id), .timestampMillis(1_715_624_525_000 + id), .string("tweet \(id) é🚀"), .list([.string("tag\(id % 3)")])]
    }

    @Test func aStreamingBatchLandsOnceHoweverOftenItIsRetried() throws {
        let root = temporaryDirectory()
        let table = DeltaTable(storage: LocalStorage(root: root))
        try table.create(schema: schema)
        #expect(try table.append([row(1), row(2)], transaction: .init(application: "ingest", batch: 0)) == 1)
        #expect(
            try table.append([row(1), row(2)], transaction: .init(application: "ingest", batch: 0)) == nil, "a retry adds nothing"
        )
        #expect(try table.append([row(3)], transaction: .init(application: "ingest", batch: 1)) == 2)
        try table.create(schema: schema)  // creating again is a no-op for the same schema
        #expect(throws: DeltaError.self) { try table.create(schema: ParquetSchema([.init("id", .int64)])) }

        let read = try readDelta(root)
        #expect(read.version == 2)
        #expect(
            read.schema == [
                "id": "int64", "created_at": "timestamp[us, tz=UTC]", "text": "string",
                "hashtags": "list<element: string not null>",
            ])
        // delta-rs reads Delta's `timestamp` as microseconds: the same instants as the milliseconds written.
        #expect(read.rows == [row(1), row(2), row(3)].map(ParquetFileTests.expected))
        #expect(try table.snapshot()?.transactions == ["ingest": 1])
    }

    @Test func partitionColumnsNameDirectoriesAndComeBackAsColumns() throws {
        let root = temporaryDirectory()
        let bronze = ParquetSchema([
            .init("topic", .string), .init("date", .string), .init("offset", .int64), .init("value", .string),
        ])
        let table = DeltaTable(storage: LocalStorage(root: root))
        try table.create(schema: bronze, partitionColumns: ["topic", "date"])
        let rows: [[ParquetValue]] = [
            [.string("tweets"), .string("2024-05-13"), .int64(0), .string("{}")],
            [.string("data/ai"), .string("2024-05-13"), .int64(1), .string("not json")],
            [.string("tweets"), .string("2024-05-14"), .int64(2), .string("{\"a\":1}")],
        ]
        try table.append(rows)
        let directories = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(directories == ["_delta_log", "topic=data%2Fai", "topic=tweets"])
        #expect(try readDelta(root).rows.count == 3)
        let values = try readDelta(root).rows.map { $0.map(\.description) }.sorted { $0[2] < $1[2] }
        #expect(values.map { $0[0] } == ["\"tweets\"", "\"data/ai\"", "\"tweets\""], "the partition value, unescaped")
    }

    @Test func compactionMergesEachPartitionsSmallFilesWithoutChangingTheRows() throws {
        let root = temporaryDirectory()
        let table = DeltaTable(storage: LocalStorage(root: root))
        let partitioned = ParquetSchema(schema.columns + [.init("day", .string)])
        try table.create(schema: partitioned, partitionColumns: ["day"])
        for batch in 0..<6 {  // six streaming batches, each a small file in each of two partitions
            let rows = (0..<5).map { Int64(batch * 10 + $0) }.map { row($0) + [.string($0 % 2 == 0 ? "mon" : "tue")] }
            try table.append(rows, transaction: .init(application: "ingest", batch: Int64(batch)))
        }
        let before = try readDelta(root)
        #expect(try table.snapshot()?.files.count == 12)

        let compaction = try table.compact()
        #expect(compaction.version == 7 && compaction.filesRemoved == 12 && compaction.filesAdded == 2 && compaction.rows == 30)
        let after = try readDelta(root)
        #expect(after.version == 7)
        #expect(Set(after.rows.map(\.description)) == Set(before.rows.map(\.description)) && after.rows.count == 30)
        #expect(try table.snapshot()?.files.count == 2)
        #expect(try table.snapshot()?.transactions == ["ingest": 5], "a streaming writer resumes where it was")
        let commit = try String(contentsOfFile: root + "/_delta_log/00000000000000000007.json", encoding: .utf8)
        #expect(commit.contains("\"operation\":\"OPTIMIZE\"") && !commit.contains("\"dataChange\":true"))

        #expect(try table.compact().version == nil, "nothing is left to merge")
        #expect(try table.vacuum(retention: .zero).count == 12, "the merged files go at the next vacuum")
        #expect(try readDelta(root).rows.count == 30)
    }

    @Test func concurrentWritersNeverLoseACommit() throws {
        let root = temporaryDirectory()
        try DeltaTable(storage: LocalStorage(root: root)).create(schema: schema)
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let table = DeltaTable(storage: LocalStorage(root: root))  // two processes would each have their own
            for batch in 0..<10 {
                do {
                    _ = try table.append(
                        [row(Int64(writer * 100 + batch))], transaction: .init(application: "w\(writer)", batch: Int64(batch)))
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty)
        let read = try readDelta(root)
        #expect(read.version == 20, "20 appends, 20 versions after the create")
        #expect(read.rows.count == 20)
    }

    // MARK: - Helpers

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        func add(_ message: String) { lock.withLock { messages.append(message) } }
        var all: [String] { lock.withLock { messages } }
    }

    struct DeltaRead {
        var version: Int
        var schema: [String: String]
        var rows: [[JSONCell]]
    }

    private func readDelta(_ root: String) throws -> DeltaRead {
        let json = try JSONSerialization.jsonObject(with: try runReader("delta", root)) as! [String: Any]
        return DeltaRead(
            version: json["version"] as! Int, schema: json["schema"] as! [String: String],
            rows: (json["rows"] as! [[Any]]).map { $0.map(JSONCell.init(json:)) })
    }

    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("delta-test-\(UUID().uuidString)").path
    }
}
