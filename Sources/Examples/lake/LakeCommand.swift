import ArgumentParser
import DeltaLake
import ExampleSupport
import Foundation
import KafkaExampleSupport
import KafkaSource
import LakePipelines
import Parquet
import StreamCore
import TutorialPipelines
import TwitterEmulator
import TwitterExampleSupport
import TwitterSource

@main
struct LakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lake",
        abstract: "Tutorial 003's tweet data lake: Parquet files in Delta tables, bronze → silver → gold, exactly once.",
        subcommands: [Ingest.self, Show.self, Compact.self, Vacuum.self])
}

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Streams records into LAKE/bronze/tweets, LAKE/silver/tweets and the gold tables.",
        discussion: """
            Live: lake ingest --bootstrap-servers HOST:PORT --topic tweets-data,tweets-other --lake LAKE --checkpoint DIR
            reads the topics' records; with no --bootstrap-servers it starts an embedded broker with tutorial 003's two
            topics, tweets-data and tweets-other, fed with generated tweets split as twitter-to-kafka --split-topics
            splits them. Bronze and silver commits record the last offset of each partition they hold, so a restart after
            kill -9 (same --checkpoint) neither loses nor repeats a record.
            Replay: lake ingest --input tweets.jsonl --records-per-batch 200 --topic tweets --lake LAKE
            treats the file's lines as the records of partition 0 of --topic (offsets from 0); running the same
            command again adds nothing.
            """)

    @Option(help: "The lake's root directory.")
    var lake: String

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 5

    @OptionGroup(title: "Live input")
    var input: KafkaTopicInput

    @OptionGroup(title: "Live run")
    var live: LiveRunOptions

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    func validate() throws {
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        guard !input.kafka.topic.isEmpty else { throw ValidationError("--topic must not be empty") }
        if replay.input != nil, input.kafka.topics.count != 1 {
            throw ValidationError("--topic: a replay's records belong to one topic")
        }
    }

    func run() async throws {
        let interval = try LiveRunOptions.interval(seconds: batchInterval)
        let topic = input.kafka.topic, lake = self.lake
        let application = "lake-ingest"
        guard replay.input == nil else {
            let runner = PipelineRunner(replay: replay, batchInterval: interval)
            let perBatch = Int64(replay.recordsPerBatch)
            try await runner.run(checkpoint: "replay", live: { _ in preconditionFailure("replay only") }) { context, lines in
                let records = lines.transform { batch, time in
                    let first = Int64(context.batchIndex(at: time) - 1) * perBatch
                    return batch.records.enumerated().map { i, line in
                        LakeRecord(
                            topic: topic, partition: 0, offset: first + Int64(i),
                            timestamp: Self.timestamp(of: line, else: time), value: line)
                    }
                }
                try LakeIngest.build(records, lake: lake, application: application)
            }
            return
        }
        // With the embedded broker and the default topic, tutorial 003's two topics, fed by
        // `twitter-to-kafka --split-topics --value json`'s pipeline over the X API emulator:
        // Data Science / AI / ML / Big Data posts, and the rest.
        var input = self.input
        if input.kafka.bootstrapServers == nil && input.kafka.topic == KafkaConnectionOptions.defaultTopic {
            input.kafka.topic = "tweets-data,tweets-other"
        }
        var feeder: (TwitterAPIEmulator, StreamingContext)?
        let connection = try input.connect(program: "lake") { [input] broker, configuration in
            let topics = input.kafka.topics
            let started = try Self.feed(
                configuration, rate: input.demoRate, topic: topics.last!, dataTopic: topics.count > 1 ? topics[0] : nil)
            feeder = started
            FileHandle.standardError.write(
                Data(
                    ("no --bootstrap-servers: embedded broker at \(broker.bootstrapServers), fed by twitter-to-kafka's pipeline "
                        + "over the X API emulator at \(started.0.baseURL) (\(input.demoRate) posts/s)\n").utf8))
        }
        var configuration = StreamingContext.Configuration()
        configuration.stopGracefullyOnSignals = true
        configuration.stopAfterIdleBatches = live.stopAfterIdleBatches
        let context = try StreamingContext.getOrCreate(checkpoint: connection.checkpoint) {
            let context = StreamingContext(batchInterval: interval, configuration: configuration)
            let records = connection.kafkaRecords(in: context).map { record in
                LakeRecord(
                    topic: record.topic, partition: Int64(record.partition), offset: record.offset,
                    timestamp: record.timestamp ?? 0, value: record.value.map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
            try LakeIngest.build(records, lake: lake, application: application)
            return context
        }
        FileHandle.standardError.write(
            Data(
                "lake: reading \(input.kafka.topics.joined(separator: ", ")) into \(lake) (checkpoint \(connection.checkpoint)); Ctrl-C stops\n"
                    .utf8))
        try context.start()
        if let runFor = live.duration, try await !context.awaitTermination(timeout: runFor) {
            context.requestStop(gracefully: true)
        }
        try await context.awaitTermination()
        if let feeder {
            await feeder.1.stop(gracefully: false)
            feeder.0.stop()
        }
        withExtendedLifetime(connection) {}
    }

    /// Starts the X API emulator and `twitter-to-kafka`'s pipeline from it into Kafka.
    static func feed(
        _ kafka: KafkaConfiguration, rate: Int, topic: String, dataTopic: String?
    ) throws -> (TwitterAPIEmulator, StreamingContext) {
        var options = EmulatorOptions()
        options.rate = Double(rate)
        let emulator = try TwitterAPIEmulator(options)
        emulator.start()
        let context = StreamingContext(batchInterval: .seconds(1))
        try TweetsToKafka.build(
            in: context,
            stream: TwitterStreamConfiguration(
                baseURL: emulator.baseURL, endpoint: .sample, bearerToken: BearerToken(options.bearerToken)),
            kafka: kafka, topic: topic, dataTopic: dataTopic, value: .json)
        try context.start()
        return (emulator, context)
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
        print(
            "files: \(snapshot.files.count), rows: \(snapshot.files.values.reduce(0) { $0 + $1.rows }), "
                + "bytes: \(snapshot.files.values.reduce(0) { $0 + $1.size })")
        for (path, file) in snapshot.files.sorted(by: { $0.key < $1.key }) {
            print("  \(path)  \(file.rows) rows  \(file.size) bytes")
        }
        for (application, batch) in snapshot.transactions.sorted(by: { $0.key < $1.key }) {
            print("last batch of \(application): \(batch)")
        }
    }
}

struct Compact: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merges each partition's small data files into larger ones, as one new version.",
        discussion: """
            A streaming job writes a small file per batch and partition; reading many small files is slow. Files under
            --target-megabytes are rewritten, per partition, into files of up to that much input each. The commit changes
            no data (streaming readers skip it); the merged files stay on disk for older versions until `lake vacuum`.
            It may run while `lake ingest` appends to the same table.
            """)

    @Argument(help: "The table's directory, e.g. LAKE/bronze/tweets.")
    var table: String

    @Option(parsing: .unconditional, help: "Files smaller than this many megabytes are merged, up to this much per new file.")
    var targetMegabytes: Double = 128

    func validate() throws {
        guard targetMegabytes.isFinite, targetMegabytes > 0, targetMegabytes <= 1_000_000 else {
            throw ValidationError("--target-megabytes must be more than 0 and at most 1000000")
        }
    }

    func run() throws {
        let compaction = try DeltaTable(storage: LocalStorage(root: table)).compact(
            targetFileBytes: Int(targetMegabytes * 1_000_000))
        guard let version = compaction.version else {
            print("\(table): no partition has two small files to merge; nothing committed")
            return
        }
        print(
            "\(table) version \(version): \(compaction.filesRemoved) files merged into \(compaction.filesAdded) "
                + "(\(compaction.rows) rows); `lake vacuum` deletes the old files")
    }
}

struct Vacuum: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deletes a table's data files that no version in the retention period references.",
        discussion: """
            Files removed from the table (by gold's complete-mode rewrites, say) more than --retention-hours ago,
            and files no commit ever named (left by a crash) older than that, are deleted; older versions can no
            longer be read in full afterwards.
            """)

    @Argument(help: "The table's directory, e.g. LAKE/gold/hashtag_counts.")
    var table: String

    @Option(parsing: .unconditional, help: "Keep files removed less than this many hours ago (Delta's default: 168).")
    var retentionHours: Double = 168

    func validate() throws {
        guard retentionHours.isFinite, retentionHours >= 0, retentionHours <= 100_000 else {
            throw ValidationError("--retention-hours must be between 0 and 100000")
        }
    }

    func run() throws {
        let deleted = try DeltaTable(storage: LocalStorage(root: table)).vacuum(
            retention: .milliseconds(Int64(retentionHours * 3_600_000)))
        for path in deleted { print("deleted \(path)") }
        print("\(deleted.count) file(s) deleted from \(table)")
    }
}
