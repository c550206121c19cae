import ArgumentParser
import ExampleSupport
import Foundation
import KafkaSource
import StreamCore

/// The live input of the Kafka examples that read JSON records from one topic: a real
/// cluster when `--bootstrap-servers` is given, else an embedded broker fed with generated
/// records; checkpointed offsets so a restart resumes where the last batch ended.
public struct KafkaTopicInput: ParsableArguments {
    @OptionGroup(title: "Kafka")
    public var kafka: KafkaConnectionOptions

    @Option(help: "The most records a batch takes from each partition (backpressure).")
    public var maxRecordsPerPartition: Int?

    @Option(help: "Seconds a batch may spend reaching the brokers (retrying meanwhile) before it fails.")
    public var readTimeout: Double = 60

    @Option(help: "With the embedded broker: generated records written per second.")
    public var demoRate = 100

    @Option(
        help:
            "Checkpoint directory: state, windows and offsets survive restarts, even kill -9 (default: checkpoints/<program>; with the embedded broker, a new temporary one, since its topic dies with the program)."
    )
    public var checkpoint: String?

    public init() {}

    public func validate() throws {
        if let maxRecordsPerPartition {
            try FlagCheck.integer(maxRecordsPerPartition, "--max-records-per-partition", in: 1...100_000_000)
        }
        try FlagCheck.seconds(readTimeout, "--read-timeout", atLeast: 1)
        try FlagCheck.integer(demoRate, "--demo-rate", in: 1...10_000_000)
        guard !kafka.topics.isEmpty else { throw ValidationError("--topic names no topic") }
    }

    /// An open connection: the configuration, and the embedded broker to keep alive with it.
    public struct Connection: Sendable {
        public let configuration: KafkaConfiguration
        public let broker: EmbeddedKafkaBroker?
        public let checkpoint: String
        let topic: String
        let options: KafkaDirectSource.Options

        /// The topic's records as Kafka hands them over (position, timestamp, key, value bytes).
        public func kafkaRecords(in context: StreamingContext) -> DStream<KafkaRecord> {
            context.stream(from: KafkaDirectSource(configuration, options: options), name: "kafka \(topic)")
        }

        /// The topic's record values as text; a value that is not UTF-8 is reported and counted.
        public func records(in context: StreamingContext) -> DStream<String> {
            let rejected = RejectedValues()
            return context.stream(from: KafkaDirectSource(configuration, options: options), name: "kafka \(topic)")
                .compactMap { rejected.text(of: $0) }
        }
    }

    /// Connects for `program` (used for the default checkpoint and consumer group); with no
    /// servers, starts the embedded broker and feeds it `demoRecords`.
    public func connect<Records: IteratorProtocol & Sendable>(
        program: String, demoRecords: @autoclosure () -> Records
    ) throws -> Connection where Records.Element == String {
        try connect(program: program) { broker, configuration in
            try DemoFeeder.feed(
                broker, configuration, topic: kafka.topics[0], rate: demoRate, records: demoRecords())
        }
    }

    /// Connects for `program`; with no servers, starts the embedded broker and has `feed`
    /// start writing to it.
    public func connect(
        program: String, feed: (EmbeddedKafkaBroker, KafkaConfiguration) throws -> Void
    ) throws -> Connection {
        let (configuration, broker) = try kafka.connect(groupID: program)
        let topics = kafka.topics
        if let broker { try feed(broker, configuration) }
        let options = KafkaDirectSource.Options(
            topics: topics, startingOffsets: .earliest, maxRecordsPerPartition: maxRecordsPerPartition, commitToGroup: true,
            readTimeout: .milliseconds(Int64(readTimeout * 1000)),
            requestTimeout: .milliseconds(Int64(min(readTimeout, 10) * 1000)))
        let directory = Self.checkpointDirectory(checkpoint, program: program, embedded: broker != nil)
        return Connection(
            configuration: configuration, broker: broker, checkpoint: directory, topic: kafka.topic, options: options)
    }

    /// `--checkpoint`, else `checkpoints/<program>` for a real cluster, else (the embedded
    /// broker's topics live and die with the process) a fresh temporary directory.
    public static func checkpointDirectory(_ checkpoint: String?, program: String, embedded: Bool) -> String {
        if let checkpoint { return checkpoint }
        guard embedded else { return "checkpoints/\(program)" }
        return FileManager.default.temporaryDirectory.appendingPathComponent("\(program)-\(UUID().uuidString)").path
    }
}
