import ArgumentParser
import ExampleSupport
import Foundation
import KafkaExampleSupport
import KafkaSource
import StreamCore
import TutorialPipelines

@main
struct KafkaWordCountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-wordcount",
        abstract: "Running word totals of the tweets in a Kafka topic (tutorial 000's consumer).",
        discussion: """
            Reads the topic with the direct stream, counts words per batch, keeps running totals (updateStateByKey) and
            prints them by count descending. State and Kafka offsets are checkpointed together: stop it (even with
            kill -9) and start it again, and it continues exactly where it left off.
            With no --bootstrap-servers it starts an embedded broker and feeds it generated tweets.
            Scale out: run several with --scale-out and one --group-id, on one machine or many.
            Each prints the totals of the words its tasks own; the totals live in Kafka and survive a member's crash.
            Replay without Kafka: kafka-wordcount --input tweets.txt --records-per-batch 100 --output jsonl
            The output is named "totals": every (word, total) pair, sorted.
            """)

    @OptionGroup(title: "Kafka")
    var kafka: KafkaConnectionOptions

    @Option(help: "Consumer group: offsets are committed to it after each batch (for lag monitoring).")
    var groupID = "kafka-wordcount"

    @Option(help: "Where to start without a checkpoint: earliest, latest or committed (the group's offsets).")
    var startingOffsets: Start = .earliest

    @Flag(
        help:
            "Scale out: run several with the same --group-id; each reads the partitions the group assigns it, and each word's total lives in one of them (shared through the topics <group-id>-repartition and <group-id>-changelog)."
    )
    var scaleOut = false

    @Option(help: "The most records a batch takes from each partition (backpressure).")
    var maxRecordsPerPartition: Int?

    @Option(
        help:
            "Checkpoint directory: running totals and offsets survive restarts (default: checkpoints/kafka-wordcount; with the embedded broker, a new temporary one, since its topic dies with the program)."
    )
    var checkpoint: String?

    @Option(help: "With the embedded broker: generated tweets written per second.")
    var demoRate = 100

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 10

    @Option(help: "Seconds a batch may spend reaching the brokers (retrying meanwhile) before it fails.")
    var readTimeout: Double = 60

    @OptionGroup(title: "Live run")
    var live: LiveRunOptions

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    enum Start: String, ExpressibleByArgument {
        case earliest, latest, committed
    }

    func validate() throws {
        if scaleOut, replay.input != nil {
            throw ValidationError("--scale-out reads Kafka: it cannot replay --input")
        }
        if let maxRecordsPerPartition {
            try FlagCheck.integer(maxRecordsPerPartition, "--max-records-per-partition", in: 1...100_000_000)
        }
        try FlagCheck.integer(demoRate, "--demo-rate", in: 1...10_000_000)
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        try FlagCheck.seconds(readTimeout, "--read-timeout", atLeast: 1)
    }

    func run() async throws {
        let runner = PipelineRunner(replay: replay, batchInterval: try LiveRunOptions.interval(seconds: batchInterval))
        var broker: EmbeddedKafkaBroker?
        var configuration = KafkaConfiguration(bootstrapServers: "")
        if replay.input == nil {
            (configuration, broker) = try kafka.connect(groupID: groupID)
            if let broker {
                try DemoFeeder.feed(broker, configuration, topic: kafka.topic, rate: demoRate, records: TweetLikeText())
            }
        }
        let rejected = RejectedValues()
        let start: KafkaDirectSource.StartingOffsets =
            switch startingOffsets {
            case .earliest: .earliest
            case .latest: .latest
            case .committed: .committed(fallback: .earliest)
            }
        let options = KafkaDirectSource.Options(
            topics: [kafka.topic], startingOffsets: start, maxRecordsPerPartition: maxRecordsPerPartition, commitToGroup: true,
            readTimeout: .milliseconds(Int64(readTimeout * 1000)),
            requestTimeout: .milliseconds(Int64(min(readTimeout, 10) * 1000)),
            assignment: scaleOut ? .consumerGroup : .allPartitions)
        let checkpointDirectory = KafkaTopicInput.checkpointDirectory(
            checkpoint, program: "kafka-wordcount", embedded: broker != nil)
        if scaleOut {
            // Every member counts the words of its partitions; each word's total lives in one
            // member (its task's), restored from Kafka when the task moves.
            let span = InputSpan()
            var shuffle: KafkaGroupState<Word, Int>?
            try await runner.runLive(
                checkpoint: checkpointDirectory, stopAfterIdleBatches: live.stopAfterIdleBatches, runFor: live.duration
            ) {
                context in
                context.addListener(span)
                let source = KafkaDirectSource(configuration, options: options)
                let totals = try KafkaGroupState<Word, Int>(configuration, application: groupID, source: source, reduce: +)
                shuffle = totals
                let counts = context.stream(from: source, name: "kafka \(kafka.topic)").reduceByKey(across: totals) {
                    record, emit in
                    guard let text = rejected.text(of: record) else { return }
                    Word.forEachWord(in: text) { emit($0, 1) }
                }
                try runner.emit(counts.sortedByValueDescending(), name: RunningWordCount.outputName) { try $0.print() }
            }
            if let traffic = shuffle?.traffic {
                FileHandle.standardError.write(
                    Data(
                        "\(span.summary); wrote \(traffic.repartitionBytes) bytes to \(groupID)-repartition and \(traffic.changelogBytes) to \(groupID)-changelog\n"
                            .utf8))
            }
            withExtendedLifetime(broker) {}
            return
        }
        try await runner.run(
            checkpoint: checkpointDirectory,
            stopAfterIdleBatches: live.stopAfterIdleBatches, runFor: live.duration,
            live: { [configuration, kafka] context in
                context.stream(from: KafkaDirectSource(configuration, options: options), name: "kafka \(kafka.topic)")
                    .compactMap { rejected.text(of: $0) }
            }
        ) { _, lines in
            try runner.emit(RunningWordCount.totals(lines), name: RunningWordCount.outputName) { try $0.print() }
        }
        withExtendedLifetime(broker) {}
    }
}
