import CRdKafka
import Foundation
import Locking
import Logging

/// One librdkafka handle (`rd_kafka_t`), consumer or producer. The only type, with its
/// siblings in this folder, that holds C pointers.
///
/// Calls block (network round trips): use it from the scheduler's thread or another
/// dedicated thread, never from Swift's cooperative pool.
///
/// Sound as `@unchecked Sendable` (it holds C pointers): librdkafka's handle is thread-safe, and the topic cache is
/// a `Locked` value.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind { case consumer, producer }

    private let handle: OpaquePointer
    private let topics = Locked<[String: OpaquePointer]>([:])

    /// Creates the handle from `properties`.
    /// - Parameter configure: last changes to the `rd_kafka_conf_t` (callbacks, opaque).
    /// - Throws: `KafkaError` naming the property librdkafka refused (never its secret value).
    init(_ kind: Kind, properties: [String: String], configure: (OpaquePointer) -> Void = { _ in }) throws {
        let conf = rd_kafka_conf_new()!
        let secrets = properties.filter { KafkaConfiguration.isSecret($0.key) && !$0.value.isEmpty }.map(\.value)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            var reason = [CChar](repeating: 0, count: 512)
            if rd_kafka_conf_set(conf, key, value, &reason, reason.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let detail = KafkaConfiguration.isSecret(key) ? "invalid value" : redact(text(reason), secrets)
                throw KafkaError(operation: "configuring property '\(key)'", message: detail)
            }
        }
        rd_kafka_conf_set_log_cb(conf) { _, level, facility, message in
            guard let message else { return }
            let text = String(cString: message)
            let source = facility.map { String(cString: $0) } ?? ""
            switch level {
            case ...3: librdkafkaLogger.error("\(source): \(text)")
            case 4: librdkafkaLogger.warning("\(source): \(text)")
            case 5, 6: librdkafkaLogger.info("\(source): \(text)")
            default: librdkafkaLogger.debug("\(source): \(text)")
            }
        }
        configure(conf)
        var reason = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(kind == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf, &reason, reason.count)
        else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(operation: "creating the Kafka client", message: redact(text(reason), secrets))
        }
        self.handle = handle
        if kind == .consumer { rd_kafka_poll_set_consumer(handle) }
    }

    deinit {
        topics.withLock { $0.values.forEach { rd_kafka_topic_destroy($0) } }
        rd_kafka_destroy(handle)
    }

    /// A topic handle, created once per topic.
    func topic(_ name: String) -> OpaquePointer {
        topics.withLock { topics in
            if let topic = topics[name] { return topic }
            let topic = rd_kafka_topic_new(handle, name, nil)!
            topics[name] = topic
            return topic
        }
    }

    /// Waits until every produced record was delivered or failed, at most `timeout`.
    func flush(timeout: Duration) -> rd_kafka_resp_err_t {
        rd_kafka_flush(handle, timeout.timeoutMilliseconds)
    }

    /// A mock cluster of `brokers` brokers owned by this handle (librdkafka's test broker).
    func newMockCluster(brokers: Int32) -> OpaquePointer? {
        rd_kafka_mock_cluster_new(handle, brokers)
    }

    /// The number of partitions of `topic`.
    func partitionCount(of topic: String, timeout: Duration) throws -> Int {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, 0, self.topic(topic), &metadata, timeout.timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(error, operation: "reading the metadata of topic '\(topic)'")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        guard metadata.pointee.topic_cnt == 1 else {
            throw KafkaError(operation: "reading the metadata of topic '\(topic)'", message: "the broker did not describe it")
        }
        let described = metadata.pointee.topics[0]
        guard described.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(described.err, operation: "reading the metadata of topic '\(topic)'")
        }
        return Int(described.partition_cnt)
    }

    /// Creates `topics` with `partitions` partitions each (the broker's default replication)
    /// through the admin API, in one request; a topic that exists already is left as it is.
    /// - Throws: `KafkaError` if the broker refuses or does not answer within `timeout`.
    func createTopics(_ topics: [String], partitions: Int, timeout: Duration) throws {
        let operation = "creating topics \(topics.joined(separator: ", "))"
        var reason = [CChar](repeating: 0, count: 512)
        var requests: [OpaquePointer?] = []
        defer { requests.forEach { rd_kafka_NewTopic_destroy($0) } }
        for topic in topics {
            guard let request = rd_kafka_NewTopic_new(topic, Int32(partitions), -1, &reason, reason.count) else {
                throw KafkaError(operation: operation, message: text(reason))
            }
            requests.append(request)
        }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout.timeoutMilliseconds, &reason, reason.count)
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        rd_kafka_CreateTopics(handle, &requests, requests.count, options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeout.timeoutMilliseconds + 1000) else {
            throw KafkaError(operation: operation, code: .timedOut, message: "no answer in \(timeout)", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        let requestError = rd_kafka_event_error(event)
        guard requestError == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(requestError, operation: operation) }
        var count = 0
        guard let result = rd_kafka_event_CreateTopics_result(event),
            let results = rd_kafka_CreateTopics_result_topics(result, &count)
        else {
            throw KafkaError(operation: operation, message: "the broker's answer named no topic")
        }
        for result in UnsafeBufferPointer(start: results, count: count) {
            let error = rd_kafka_topic_result_error(result)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS else {
                throw KafkaError(error, operation: operation)
            }
        }
    }

    /// The cluster's id, which changes when a cluster is recreated: with topic names, it says
    /// whether saved offsets still mean the same records.
    func clusterID(timeout: Duration) throws -> String {
        guard let id = rd_kafka_clusterid(handle, timeout.timeoutMilliseconds) else {
            throw KafkaError(operation: "reading the cluster id", message: "the brokers did not answer", isRetriable: true)
        }
        defer { rd_kafka_mem_free(handle, id) }
        return String(cString: id)
    }

    /// The first and the next-to-be-written offsets of a partition.
    func watermarks(_ partition: TopicPartition, timeout: Duration) throws -> (low: Int64, high: Int64) {
        var low: Int64 = 0, high: Int64 = 0
        let error = rd_kafka_query_watermark_offsets(
            handle, partition.topic, partition.partition, &low, &high, timeout.timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(error, operation: "reading the offsets of \(partition)")
        }
        return (low, high)
    }

    /// The group's committed offsets (nil where it has none).
    func committed(_ partitions: [TopicPartition], timeout: Duration) throws -> [TopicPartition: Int64?] {
        try committedWithMetadata(partitions, timeout: timeout).mapValues { $0?.offset }
    }

    /// The group's committed offsets with the metadata committed beside them (nil where it has none).
    func committedWithMetadata(
        _ partitions: [TopicPartition], timeout: Duration
    ) throws -> [TopicPartition: (offset: Int64, metadata: String)?] {
        try withList(partitions.map { ($0, Int64(-1001)) }) { list in
            let error = rd_kafka_committed(handle, list, timeout.timeoutMilliseconds)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, operation: "reading the committed offsets") }
            var result: [TopicPartition: (offset: Int64, metadata: String)?] = [:]
            for entry in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)) {
                let metadata = bytes(entry.metadata, entry.metadata_size).map { String(decoding: $0, as: UTF8.self) } ?? ""
                result[TopicPartition(topic: String(cString: entry.topic), partition: entry.partition)] =
                    entry.offset >= 0 ? (entry.offset, metadata) : nil
            }
            return result
        }
    }

    /// Commits `offsets` (the next offset to read, per partition) to the consumer group, with
    /// `metadata` beside the offsets it names (Kafka keeps it with the commit).
    func commit(_ offsets: [TopicPartition: Int64], metadata: [TopicPartition: String] = [:]) throws {
        guard !offsets.isEmpty else { return }
        try withList(offsets.map { ($0.key, $0.value) }, metadata: metadata) { list in
            let error = rd_kafka_commit(handle, list, 0)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(error, operation: "committing offsets to the group")
            }
        }
    }

    /// Makes the consumer read exactly these partitions, from these offsets.
    func assign(_ offsets: [TopicPartition: Int64]) throws {
        try withList(offsets.map { ($0.key, $0.value) }) { list in
            let error = rd_kafka_assign(handle, list)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(error, operation: "assigning partitions") }
        }
    }

    /// Joins the consumer group and lets it assign partitions of `topics` (served during polls).
    func subscribe(_ topics: [String]) throws {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, -1) }
        let error = rd_kafka_subscribe(handle, list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(error, operation: "subscribing to \(topics.joined(separator: ", "))")
        }
    }

    /// The partitions the group currently assigns to this consumer.
    func assignment() -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)).map {
            TopicPartition(topic: String(cString: $0.topic), partition: $0.partition)
        }.sorted()
    }

    /// Moves the consumer to these offsets within its current (group-managed) assignment.
    func seek(_ offsets: [TopicPartition: Int64], timeout: Duration) throws {
        try withList(offsets.map { ($0.key, $0.value) }) { list in
            if let error = rd_kafka_seek_partitions(handle, list, timeout.timeoutMilliseconds) {
                defer { rd_kafka_error_destroy(error) }
                throw KafkaError(error, operation: "seeking to the batch's offsets")
            }
            for entry in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt))
            where entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(entry.err, operation: "seeking \(String(cString: entry.topic))/\(entry.partition)")
            }
        }
    }

    /// Stops fetching `partitions` (records already fetched for them are dropped, and fetching
    /// resumes after the last record returned), or starts again; they stay assigned.
    func setPaused(_ paused: Bool, _ partitions: [TopicPartition]) {
        guard !partitions.isEmpty else { return }
        _ = try? withList(partitions.map { ($0, Int64(-1001)) }) { list in
            paused ? rd_kafka_pause_partitions(handle, list) : rd_kafka_resume_partitions(handle, list)
        }
    }

    /// Where the consumer is for each partition (the offset of the next record it returns).
    func positions(_ partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        (try? withList(partitions.map { ($0, Int64(-1001)) }) { list in
            _ = rd_kafka_position(handle, list)
            var result: [TopicPartition: Int64] = [:]
            for entry in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)) where entry.offset >= 0 {
                result[TopicPartition(topic: String(cString: entry.topic), partition: entry.partition)] = entry.offset
            }
            return result
        }) ?? [:]
    }

    /// The next consumed record or error, waiting at most `timeout`.
    func poll(timeout: Duration) -> Result<KafkaRecord, KafkaError>? {
        guard let message = rd_kafka_consumer_poll(handle, timeout.timeoutMilliseconds) else { return nil }
        defer { rd_kafka_message_destroy(message) }
        let m = message.pointee
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "?"
        guard m.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return .failure(KafkaError(m.err, operation: "consuming \(topic)/\(m.partition)"))
        }
        var headers: [KafkaHeader] = []
        var list: OpaquePointer?
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes(value, size)))
                index += 1
            }
        }
        let timestamp = rd_kafka_message_timestamp(message, nil)
        return .success(
            KafkaRecord(
                topic: topic, partition: m.partition, offset: m.offset,
                key: bytes(m.key, m.key_len), value: bytes(m.payload, m.len),
                timestamp: timestamp >= 0 ? timestamp : nil, headers: headers))
    }

    /// Serves queued callbacks (delivery reports, errors).
    func serveCallbacks(timeout: Duration) {
        rd_kafka_poll(handle, timeout.timeoutMilliseconds)
    }

    private func withList<T>(
        _ entries: [(TopicPartition, Int64)], metadata: [TopicPartition: String] = [:],
        _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws -> T
    ) throws -> T {
        let list = rd_kafka_topic_partition_list_new(Int32(entries.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (partition, offset) in entries {
            let entry = rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)!
            entry.pointee.offset = offset
            if let text = metadata[partition], !text.isEmpty {
                // The list frees it with free(): it must come from malloc.
                let utf8 = Array(text.utf8)
                let copy = malloc(utf8.count)!
                utf8.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: utf8.count) }
                entry.pointee.metadata = copy
                entry.pointee.metadata_size = utf8.count
            }
        }
        return try body(list)
    }
}

/// Where librdkafka's own log lines go (they would otherwise go raw to stderr).
private let librdkafkaLogger = Logger(label: "librdkafka")

/// `message` with every secret value replaced, in case librdkafka quoted one.
private func redact(_ message: String, _ secrets: [String]) -> String {
    secrets.reduce(message) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
}

/// The text of a NUL-terminated error buffer.
private func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func bytes(_ pointer: UnsafeRawPointer?, _ count: Int) -> [UInt8]? {
    guard let pointer else { return nil }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
}

private func bytes(_ pointer: UnsafeMutableRawPointer?, _ count: Int) -> [UInt8]? {
    bytes(UnsafeRawPointer(pointer), count)
}

extension KafkaError {
    /// An error from a librdkafka response code.
    init(_ code: rd_kafka_resp_err_t, operation: String) {
        let code = Code(code)
        self.init(
            operation: operation, code: code,
            message: String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(rawValue: code.rawValue))),
            isRetriable: code.isRetriable, isFatal: code == .fatal)
    }

    /// An error object of librdkafka's newer APIs, which says itself whether it is retriable or fatal.
    init(_ error: OpaquePointer, operation: String) {
        self.init(
            operation: operation, code: Code(rd_kafka_error_code(error)), message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0, isFatal: rd_kafka_error_is_fatal(error) != 0)
    }
}

extension Duration {
    /// Whole milliseconds, for librdkafka's `int timeout_ms` parameters.
    var timeoutMilliseconds: Int32 { Int32(clamping: wholeMilliseconds) }
}
