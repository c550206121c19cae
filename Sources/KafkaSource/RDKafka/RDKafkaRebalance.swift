import CRdKafka

/// The consumer-group rebalance callback: assigns what the group assigns, and before giving
/// partitions up commits where the owner's last completed batch ended, so their next owner
/// continues exactly there.
///
/// Sendable: immutable; its closures run inside librdkafka's poll, on the thread that polls (the source's reader).
final class RDKafkaRebalance: @unchecked Sendable {
    /// The offsets to commit for partitions about to be revoked (called inside a poll).
    let offsetsToCommit: ([TopicPartition]) -> [TopicPartition: Int64]
    /// Told when that commit fails (the next owner then re-reads from the previous commit).
    let commitFailed: (KafkaError) -> Void
    /// Told the partitions the group assigns (all of this member's, after each rebalance).
    let assigned: ([TopicPartition]) -> Void

    init(
        offsetsToCommit: @escaping ([TopicPartition]) -> [TopicPartition: Int64], commitFailed: @escaping (KafkaError) -> Void,
        assigned: @escaping ([TopicPartition]) -> Void = { _ in }
    ) {
        self.offsetsToCommit = offsetsToCommit
        self.commitFailed = commitFailed
        self.assigned = assigned
    }

    /// Installs the callback on a consumer configuration; `self` must outlive the client.
    func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_rebalance_cb(conf) { handle, error, partitions, opaque in
            guard let handle, let opaque else { return }
            if error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
                rd_kafka_assign(handle, partitions)
                Unmanaged<RDKafkaRebalance>.fromOpaque(opaque).takeUnretainedValue().assigned(
                    partitions.map(topicPartitions) ?? [])
                return
            }
            if error == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS, let partitions {
                Unmanaged<RDKafkaRebalance>.fromOpaque(opaque).takeUnretainedValue().commitBeforeRevoking(handle, partitions)
            }
            rd_kafka_assign(handle, nil)
        }
    }

    private func commitBeforeRevoking(
        _ handle: OpaquePointer, _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) {
        let revoked = topicPartitions(partitions)
        let offsets = offsetsToCommit(revoked)
        guard !offsets.isEmpty else { return }
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (partition, offset) in offsets {
            rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition).pointee.offset = offset
        }
        let error = rd_kafka_commit(handle, list, 0)
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            commitFailed(
                KafkaError(
                    error, operation: "committing before handing over " + revoked.map(\.description).joined(separator: ", ")))
        }
    }
}

/// The partitions of a librdkafka partition list.
private func topicPartitions(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
    UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)).map {
        TopicPartition(topic: String(cString: $0.topic), partition: $0.partition)
    }
}
