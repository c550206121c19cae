import Foundation

/// What a checkpoint holds: where the stream was, the state of every stateful operator and
/// window, and every source's position, all as of one completed batch.
public struct Checkpoint: Sendable {
    static let currentFormatVersion = 2

    /// The checkpoint format; a reader refuses versions it does not know.
    public var formatVersion: Int
    /// The last completed batch.
    public var batchIndex: Int
    /// The time of the last completed batch.
    public var batchTime: BatchTime
    /// The time of batch 0, so batch *k* has time `zeroTime + k × interval` after a restore too.
    public var zeroTime: BatchTime
    /// The batch interval the checkpoint was written with; a restore with another is refused.
    public var batchIntervalMilliseconds: Int64
    /// Operator state by operator name (each operator's own encoding).
    public var operators: [String: Data]
    /// Source positions by source name.
    public var sources: [String: Data]
}

/// Something whose state must survive a restart: stateful operators and windows.
@usableFromInline
protocol CheckpointParticipant: AnyObject {
    /// Unique in the pipeline; assigned when registered.
    var checkpointName: String { get set }
    /// A copy of the state as of now, encoded later on the checkpoint writer's thread.
    func snapshot() -> CheckpointSnapshot
    func restore(from data: Data) throws
    /// Why this participant cannot be checkpointed, if it cannot (checked by `start()`).
    var cannotCheckpointReason: String? { get }
}

extension CheckpointParticipant {
    var cannotCheckpointReason: String? { nil }
}

/// Encodes a participant's state as it was when the snapshot was taken.
@usableFromInline
typealias CheckpointSnapshot = @Sendable () throws -> Data
