import ArgumentParser
import ExampleSupport
import Foundation
import KafkaExampleSupport
import KafkaSource
import StreamCore
import TutorialPipelines
import TwitterExampleSupport
import TwitterSource

@main
struct TwitterToKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twitter-to-kafka",
        abstract: "Streams posts from the X API into Kafka (the producers of tutorials 000, 003 and 004).",
        discussion: """
            Every batch writes its posts to Kafka (key: post id; value: the text, or the decoded post as JSON) and waits
            for the broker's confirmation. --split-topics sends Data Science / AI / Machine Learning / Big Data posts to
            --data-topic and the rest to --topic, as tutorial 003 does.
            With no TWITTER_BEARER_TOKEN it streams from a local emulator, and with no --bootstrap-servers it writes
            to an embedded broker; it says so when it does.
            """)

    @OptionGroup(title: "X API")
    var twitter: TwitterConnectionOptions

    @OptionGroup(title: "Kafka")
    var kafka: KafkaConnectionOptions

    @Flag(help: "Send posts about data and AI to --data-topic, the others to --topic.")
    var splitTopics = false

    @Option(help: "With --split-topics: the topic of posts about Data Science / AI / Machine Learning / Big Data.")
    var dataTopic = "tweets-data"

    @Option(help: "Record value: text (the post's text) or json (the decoded post).")
    var value: TweetsToKafka.Value = .text

    @Option(parsing: .unconditional, help: "Seconds between batches (each batch is one confirmed write to Kafka).")
    var batchInterval: Double = 1

    @Option(parsing: .unconditional, help: "Stop gracefully after this many seconds (default: run until Ctrl-C).")
    var runFor: Double?

    func validate() throws {
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        if let runFor { try FlagCheck.seconds(runFor, "--run-for") }
    }

    func run() async throws {
        let (stream, emulator) = try twitter.connect()
        let (configuration, broker) = try kafka.connect()
        if let broker {
            FileHandle.standardError.write(
                Data("no --bootstrap-servers: writing to an embedded broker at \(broker.bootstrapServers)\n".utf8))
        }
        var settings = StreamingContext.Configuration()
        settings.stopGracefullyOnSignals = true
        let context = StreamingContext(batchInterval: .milliseconds(Int64(batchInterval * 1000)), configuration: settings)
        context.addListener(ProgressListener())
        try TweetsToKafka.build(
            in: context, stream: stream, kafka: configuration, topic: kafka.topic, dataTopic: splitTopics ? dataTopic : nil,
            value: value)
        try context.start()
        if let runFor, try await !context.awaitTermination(timeout: .milliseconds(Int64(runFor * 1000))) {
            context.requestStop(gracefully: true)
        }
        try await context.awaitTermination()
        withExtendedLifetime((emulator, broker)) {}
    }
}

/// One line per batch on stderr: posts written, waiting, rejected, and any reconnects.
final class ProgressListener: StreamingListener, Sendable {
    func batchCompleted(_ batch: BatchInfo) {
        var line = "batch \(batch.time): \(batch.outputRecords["kafka"] ?? 0) posts written to Kafka"
        let waiting = batch.waitingRecords.values.reduce(0, +), rejected = batch.rejectedRecords.values.reduce(0, +)
        if waiting > 0 { line += ", \(waiting) waiting" }
        if rejected > 0 { line += ", \(rejected) rejected so far" }
        for warning in batch.sourceWarnings.values.flatMap({ $0 }) { line += "\n  \(warning)" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension TweetsToKafka.Value: ExpressibleByArgument {}
