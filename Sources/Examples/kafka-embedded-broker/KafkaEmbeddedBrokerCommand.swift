import ArgumentParser
import Dispatch
import ExampleSupport
import Foundation
import KafkaSource

@main
struct KafkaEmbeddedBrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-embedded-broker",
        abstract: "Runs a Kafka cluster for demos and tests (librdkafka's mock cluster) until Ctrl-C or SIGTERM.",
        discussion: """
            Its first line on stdout is `bootstrap.servers=HOST:PORT`; any Kafka client can use it (kcat too).
            Limits: a few MiB per partition, older records silently dropped; not for benchmarks (see Docs/Kafka.md).
            """)

    @Option(help: "Number of brokers.")
    var brokers = 1

    @Option(name: .customLong("topic"), help: "A topic to create, NAME or NAME:PARTITIONS (repeatable).")
    var topics: [String] = ["tweets-kafka:4"]

    /// Each `--topic` as a name and a partition count.
    private var topicSpecs: [(name: String, partitions: Int)] {
        get throws {
            try topics.map { spec in
                let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
                guard let name = parts.first, !name.isEmpty, parts.count <= 2,
                    let partitions = Int(parts.count == 2 ? parts[1] : "4")
                else {
                    throw ValidationError("--topic takes NAME or NAME:PARTITIONS, not '\(spec)'")
                }
                try FlagCheck.integer(partitions, "the partitions of --topic \(name)", in: 1...10_000)
                return (String(name), partitions)
            }
        }
    }

    func validate() throws {
        try FlagCheck.integer(brokers, "--brokers", in: 1...64)
        _ = try topicSpecs
    }

    func run() throws {
        let broker = try EmbeddedKafkaBroker(brokers: brokers)
        for (name, partitions) in try topicSpecs {
            try broker.createTopic(name, partitions: partitions)
        }
        FileHandle.standardOutput.write(Data("bootstrap.servers=\(broker.bootstrapServers)\n".utf8))
        FileHandle.standardError.write(Data("topics: \(topics.joined(separator: ", ")); Ctrl-C stops\n".utf8))
        waitForTerminationSignal()
        withExtendedLifetime(broker) {}
    }
}
