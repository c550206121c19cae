import Foundation

/// One Kafka record as a batch hands it over.
public struct KafkaRecord: Sendable, Codable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    /// Milliseconds since the Unix epoch (create or log-append time), if the broker gave one.
    public var timestamp: Int64?
    public var headers: [KafkaHeader]

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]? = nil, value: [UInt8]?,
        timestamp: Int64? = nil, headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }

    /// The value as UTF-8 text; nil when absent or not valid UTF-8.
    public var valueText: String? { value.flatMap { String(validating: $0, as: UTF8.self) } }

    /// The key as UTF-8 text; nil when absent or not valid UTF-8.
    public var keyText: String? { key.flatMap { String(validating: $0, as: UTF8.self) } }

    /// The value decoded from JSON.
    public func decodeValue<T: Decodable>(_ type: T.Type, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(value ?? []))
    }
}

/// A record header.
public struct KafkaHeader: Sendable, Codable, Hashable {
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// A topic's partition.
public struct TopicPartition: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)/\(partition)" }
}

/// The records of one partition that belong to one batch: offsets `from` up to, not
/// including, `until` (Spark's `OffsetRange`).
public struct OffsetRange: Sendable, Codable, Hashable, CustomStringConvertible {
    public var topicPartition: TopicPartition
    public var from: Int64
    public var until: Int64

    public init(topicPartition: TopicPartition, from: Int64, until: Int64) {
        self.topicPartition = topicPartition
        self.from = from
        self.until = until
    }

    public var count: Int64 { until - from }
    public var description: String { "\(topicPartition) [\(from), \(until))" }
}
