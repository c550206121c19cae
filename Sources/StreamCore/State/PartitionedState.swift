import Foundation

/// Keyed state split into hash partitions, so each partition is updated by its own core.
///
/// A key's partition is its hash modulo the partition count, the same rule the shuffle uses,
/// so the state of partition *j* meets exactly the new values of partition *j*.
@usableFromInline
// Sendable: each partition is mutated by one task of the scheduler's parallel map at a time; checkpoints get value copies.
final class PartitionedState<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>:
    CheckpointParticipant, @unchecked Sendable
{
    @usableFromInline var checkpointName = ""
    @usableFromInline var partitions: [[Key: Value]]

    @usableFromInline
    init(partitionCount: Int) {
        partitions = Array(repeating: [:], count: max(1, partitionCount))
    }

    @usableFromInline var cannotCheckpointReason: String? { nil }

    /// Runs `body` on every partition in parallel, each with exclusive access to its own.
    @inlinable
    func update(on executor: ParallelExecutor, _ body: (inout [Key: Value], Int) throws -> Void) throws {
        try partitions.withUnsafeMutableBufferPointer { buffer in
            _ = try executor.map(buffer.count) { j in try body(&buffer[j], j) }
        }
    }

    @usableFromInline
    func snapshot() -> CheckpointSnapshot {
        let partitions = partitions
        return { try PairEncoding.encode(partitions: partitions) }
    }

    @usableFromInline
    func restore(from data: Data) throws {
        partitions = try PairEncoding.decode(data, partitionedInto: partitions.count)
    }
}
