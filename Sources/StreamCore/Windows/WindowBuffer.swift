import Foundation

/// The recent batches of a stream that a window covers, kept across batches and checkpoints.
///
/// Sendable: `batches` is touched only by the scheduler thread; the checkpoint writer gets a copy, and `encoded` is locked.
final class WindowBuffer<Element: Sendable>: CheckpointParticipant, @unchecked Sendable {
    var checkpointName = ""
    private let codec: ElementCodec<Element>?
    private var batches: [(index: Int, partitions: [[Element]])] = []
    /// Each batch's checkpoint bytes, encoded once: a window of *w* batches would otherwise
    /// encode all *w* again at every checkpoint. Filled by the checkpoint writer's thread.
    private let encoded = Locked<[Int: Data]>([:])

    init(codec: ElementCodec<Element>?) {
        self.codec = codec
    }

    func append(index: Int, partitions: [[Element]]) {
        batches.append((index, partitions))
    }

    /// Forgets batches with index ≤ `index`.
    func drop(through index: Int) {
        batches.removeAll { $0.index <= index }
        encoded.withLock { cache in cache = cache.filter { $0.key > index } }
    }

    /// The partitions of the batches with index in `range`.
    func partitions(in range: ClosedRange<Int>) -> [[Element]] {
        batches.filter { range.contains($0.index) }.flatMap(\.partitions)
    }

    var cannotCheckpointReason: String? {
        codec == nil ? "a window over records of type \(Element.self), which is not Codable, cannot be checkpointed" : nil
    }

    private struct Snapshot: Codable {
        var indices: [Int]
        var batches: [Data]
    }

    func snapshot() -> CheckpointSnapshot {
        let batches = UncheckedSendable(batches)
        let codec = UncheckedSendable(codec)
        return { [encoded] in
            guard let encode = codec.value?.encode else { throw CodecError.notCodable("\(Element.self)") }
            let bytes = try batches.value.map { batch in
                if let bytes = encoded.withLock({ $0[batch.index] }) { return bytes }
                let bytes = try encode(batch.partitions.flatMap { $0 })
                encoded.withLock { $0[batch.index] = bytes }
                return bytes
            }
            return try JSONEncoder().encode(Snapshot(indices: batches.value.map(\.index), batches: bytes))
        }
    }

    func restore(from data: Data) throws {
        guard let codec else { throw CodecError.notCodable("\(Element.self)") }
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        batches = try zip(snapshot.indices, snapshot.batches).map { ($0, [try codec.decode($1)]) }
        encoded.withLock { $0 = Dictionary(zip(snapshot.indices, snapshot.batches), uniquingKeysWith: { $1 }) }
    }
}
