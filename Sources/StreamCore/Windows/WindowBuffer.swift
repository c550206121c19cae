import Foundation
import Locking

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

    /// Checkpoints written before the binary layout: JSON, each batch's bytes in base64.
    private struct JSONSnapshot: Codable {
        var indices: [Int]
        var batches: [Data]
    }

    /// The layout of a window's checkpoint bytes: this byte, the number of batches, then for
    /// each its index, its length and its encoded records (integers as 64-bit little-endian).
    private static var binaryFormat: UInt8 { 1 }

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
            var data = Data([Self.binaryFormat])
            data.reserveCapacity(1 + 8 + bytes.reduce(0) { $0 + 16 + $1.count })
            data.appendInt64(Int64(bytes.count))
            for (batch, encoded) in zip(batches.value, bytes) {
                data.appendInt64(Int64(batch.index))
                data.appendInt64(Int64(encoded.count))
                data.append(encoded)
            }
            return data
        }
    }

    func restore(from data: Data) throws {
        guard let codec else { throw CodecError.notCodable("\(Element.self)") }
        var indices: [Int] = [], blobs: [Data] = []
        switch data.first {
        case Self.binaryFormat:
            var reader = ByteReader(data)
            _ = try reader.bytes(1)
            let count = try reader.int64()
            guard count >= 0 else { throw CheckpointFileError.malformed("window of \(count) batches") }
            for _ in 0..<count {
                indices.append(Int(try reader.int64()))
                blobs.append(Data(try reader.bytes(Int(try reader.int64()))))
            }
        case UInt8(ascii: "{"):
            let snapshot = try JSONDecoder().decode(JSONSnapshot.self, from: data)
            (indices, blobs) = (snapshot.indices, snapshot.batches)
        default:
            throw CheckpointFileError.malformed("window state in an unknown format")
        }
        batches = try zip(indices, blobs).map { ($0, [try codec.decode($1)]) }
        encoded.withLock { $0 = Dictionary(zip(indices, blobs), uniquingKeysWith: { $1 }) }
    }
}
