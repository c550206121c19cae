import CRdKafka
import Foundation
import Locking

/// A librdkafka producer whose sends are confirmed: `send` returns once every record has a
/// delivery report, and throws the first failed delivery.
///
/// Sendable: librdkafka's producer handle is thread-safe and the delivery reports lock themselves; `send` is not meant to run twice at once (one output operation calls it).
final class RDKafkaProducer: @unchecked Sendable {
    private let client: RDKafkaClient
    private let deliveries = DeliveryReports()

    /// - Parameter properties: librdkafka properties; idempotence is on unless set.
    init(properties: [String: String]) throws {
        var properties = properties
        properties["enable.idempotence"] = properties["enable.idempotence"] ?? "true"
        let reports = deliveries
        client = try RDKafkaClient(.producer, properties: properties) { conf in
            rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(reports).toOpaque())
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                guard let message, let opaque else { return }
                let reports = Unmanaged<DeliveryReports>.fromOpaque(opaque).takeUnretainedValue()
                let m = message.pointee
                guard m.err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
                let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "?"
                reports.failed(KafkaError(m.err, operation: "delivering a record to topic '\(topic)'"))
            }
        }
    }

    /// Sends records and waits for all their delivery reports.
    /// - Parameters:
    ///   - records: a nil partition lets the partitioner choose (by key).
    ///   - isCancelled: true once the sender stops: waiting still after a second gives up.
    /// - Throws: the first delivery failure, or a timeout if reports did not all arrive.
    func send(
        _ records: [(topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?)], timeout: Duration,
        isCancelled: () -> Bool = { false }
    ) throws {
        deliveries.reset()
        let started = ContinuousClock.now
        /// The queue and the deliveries wait for a broker: not past `timeout`, nor a second after a stop.
        func giveUpIfLate(_ operation: String) throws {
            let waited = ContinuousClock.now - started
            if waited > timeout {
                throw KafkaError(operation: operation, message: "not done within \(timeout)", isRetriable: true)
            }
            if waited > .seconds(1), isCancelled() {
                throw KafkaError(operation: operation, message: "stopped before all were delivered")
            }
        }
        for record in records {
            let topic = client.topic(record.topic)
            while true {
                let status = withOptionalBytes(record.value) { value in
                    withOptionalBytes(record.key) { key in
                        rd_kafka_produce(
                            topic, record.partition ?? unassignedPartition, RD_KAFKA_MSG_F_COPY,
                            UnsafeMutableRawPointer(mutating: value.baseAddress),
                            value.count,
                            key.baseAddress, key.count, nil)
                    }
                }
                if status == 0 { break }
                let error = rd_kafka_last_error()
                guard error == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                    throw KafkaError(error, operation: "sending a record to topic '\(record.topic)'")
                }
                try giveUpIfLate("sending \(records.count) records")
                client.serveCallbacks(timeout: .milliseconds(50))
            }
        }
        var flushed = client.flush(timeout: .milliseconds(200))
        while flushed != RD_KAFKA_RESP_ERR_NO_ERROR, deliveries.firstFailure == nil {
            try giveUpIfLate("waiting for the delivery of \(records.count) records")
            flushed = client.flush(timeout: .milliseconds(200))
        }
        if let failure = deliveries.firstFailure { throw failure }
    }
}

extension RDKafkaProducer {
    /// The number of partitions of `topic` (a broker that creates topics on demand creates it).
    func partitionCount(of topic: String, timeout: Duration) throws -> Int {
        try client.partitionCount(of: topic, timeout: timeout)
    }

    /// Creates the topics that do not exist yet through the admin API.
    func createTopics(_ topics: [String], partitions: Int, timeout: Duration) throws {
        try client.createTopics(topics, partitions: partitions, timeout: timeout)
    }
}

/// Keeps the first failed delivery report; written by librdkafka's callback during `flush`.
private final class DeliveryReports: Sendable {
    private let failure = Locked<KafkaError?>(nil)

    func reset() {
        failure.withLock { $0 = nil }
    }

    func failed(_ error: KafkaError) {
        failure.withLock { $0 = $0 ?? error }
    }

    var firstFailure: KafkaError? { failure.withLock { $0 } }
}

/// `RD_KAFKA_PARTITION_UA` (a cast macro Swift does not import): let the partitioner choose.
private let unassignedPartition: Int32 = -1

private func withOptionalBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer) -> T) -> T {
    guard let bytes else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    return bytes.withUnsafeBytes(body)
}
