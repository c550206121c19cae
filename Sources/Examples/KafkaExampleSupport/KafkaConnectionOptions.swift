import ArgumentParser
import Foundation
import KafkaSource
import Locking

/// The Kafka flags of the examples: a real cluster when given, else an embedded broker.
public struct KafkaConnectionOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, host:port[,host:port…]. Default: an embedded broker inside this program.")
    public var bootstrapServers: String?

    @Option(
        help: ArgumentHelp(
            "A librdkafka properties file (key=value lines: security.protocol, sasl.*, ssl.*, …); keeps secrets off the command line.",
            valueName: "path"))
    public var properties: String?

    /// `--topic` when not given.
    public static let defaultTopic = "tweets-kafka"

    @Option(help: "The topic (programs that read several take them comma-separated).")
    public var topic = defaultTopic

    public init() {}

    /// `--topic` split at commas.
    public var topics: [String] {
        topic.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The configuration to use, and the embedded broker when no servers were given (keep it
    /// alive as long as the configuration is used).
    public func connect(groupID: String? = nil, partitions: Int = 4) throws -> (KafkaConfiguration, EmbeddedKafkaBroker?) {
        var broker: EmbeddedKafkaBroker?
        let servers: String
        if let bootstrapServers {
            servers = bootstrapServers
        } else {
            let embedded = try EmbeddedKafkaBroker()
            for topic in topics { try embedded.createTopic(topic, partitions: partitions) }
            broker = embedded
            servers = embedded.bootstrapServers
        }
        var configuration = KafkaConfiguration(bootstrapServers: servers, groupID: groupID)
        if let properties { try configuration.addProperties(fromFile: properties) }
        return (configuration, broker)
    }
}

/// Counts records whose value is not UTF-8 text, so they are reported rather than dropped silently.
public final class RejectedValues: Sendable {
    private let count = Locked(0)

    public init() {}

    /// The record's text, or nil after reporting it on stderr.
    public func text(of record: KafkaRecord) -> String? {
        if let text = record.valueText { return text }
        count.withLock { $0 += 1 }
        FileHandle.standardError.write(
            Data("skipping \(record.topic)/\(record.partition)@\(record.offset): value is not UTF-8 text\n".utf8))
        return nil
    }

    public var total: Int { count.withLock { $0 } }
}
