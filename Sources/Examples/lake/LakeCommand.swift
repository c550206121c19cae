import ArgumentParser
import DeltaLake
import ExampleSupport
import Foundation
import LakePipelines
import Parquet
import StreamCore
import TwitterSource

@main
struct LakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lake",
        abstract: "Tutorial 003's tweet data lake: Parquet files in Delta tables, bronze → silver → gold, exactly once.",
        subcommands: [Ingest.self, Show.self])
}

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Streams records into LAKE/bronze/tweets, LAKE/silver/tweets and the gold tables.",
        discussion: """
            Replay: lake ingest --input tweets.jsonl --records-per-batch 200 --topic tweets --lake LAKE
            treats the file's lines as the records of one Kafka topic (partition 0, offsets from 0). Each table write
            carries its batch number (Delta's txn action), so running the same command again adds nothing.
            Reading Kafka topics live is not built yet (see Docs/Lake.md).
            """)

    @Option(help: "The lake's root directory.")
    var lake: String

    @Option(help: "The topic the replayed records belong to.")
    var topic = "tweets"

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 5

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    func validate() throws {
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        guard replay.input != nil else {
            throw ValidationError("--input is required: live ingest from Kafka topics is not built yet (Docs/Lake.md)")
        }
        guard !topic.isEmpty else { throw ValidationError("--topic must not be empty") }
    }

    func run() async throws {
        let runner = PipelineRunner(replay: replay, batchInterval: try LiveRunOptions.interval(seconds: batchInterval))
        let perBatch = Int64(replay.recordsPerBatch)
        let application = "lake-ingest/\(topic)"
        try await runner.run(checkpoint: "replay", live: { _ in preconditionFailure("replay only") }) { [topic, lake] context, lines in
            let records = lines.transform { batch, time in
                let first = Int64(context.batchIndex(at: time) - 1) * perBatch
                return batch.records.enumerated().map { i, line in
                    LakeRecord(topic: topic, partition: 0, offset: first + Int64(i), timestamp: Self.timestamp(of: line, else: time),
                               value: line)
                }
            }
            try LakeIngest.build(records, lake: lake, application: application)
        }
    }

    /// A replayed record's Kafka timestamp: the tweet's own time when it has one (a producer
    /// stamps records as tweets arrive), else the batch's time.
    static func timestamp(of line: String, else time: BatchTime) -> Int64 {
        (try? Tweet(record: line))?.createdAt ?? time.milliseconds
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prints a table's version, schema, files and row counts.")

    @Argument(help: "The table's directory, e.g. LAKE/silver/tweets.")
    var table: String

    func run() throws {
        guard let snapshot = try DeltaTable(storage: LocalStorage(root: table)).snapshot() else {
            throw ValidationError("no Delta table at \(table) (no _delta_log/)")
        }
        print("table \(table), version \(snapshot.version)")
        print("columns:")
        for column in snapshot.schema.columns {
            let partition = snapshot.partitionColumns.contains(column.name) ? " (partition)" : ""
            print("  \(column.name): \(column.type)\(column.optional ? ", optional" : "")\(partition)")
        }
        print("files: \(snapshot.files.count), rows: \(snapshot.files.values.reduce(0) { $0 + $1.rows }), "
              + "bytes: \(snapshot.files.values.reduce(0) { $0 + $1.size })")
        for (path, file) in snapshot.files.sorted(by: { $0.key < $1.key }) {
            print("  \(path)  \(file.rows) rows  \(file.size) bytes")
        }
        for (application, batch) in snapshot.transactions.sorted(by: { $0.key < $1.key }) {
            print("last batch of \(application): \(batch)")
        }
    }
}
