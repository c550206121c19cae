import Foundation
import Locking

/// The open windows of an event-time aggregation and its watermark, checkpointed together.
///
/// Sendable: the windows and the watermark are a `Locked` value.
final class EventTimeState<Aggregate: Codable & Sendable>: CheckpointParticipant, @unchecked Sendable {
    var checkpointName = ""
    let values = Locked(Values())

    struct Values {
        var windows: [EventTimeWindow: Aggregate] = [:]
        /// The largest event time seen so far.
        var maxEventTime: Int64?
        /// Records at or before it are late; nil until the first record with an event time.
        var watermark: Int64?
    }

    private struct Snapshot: Codable {
        var windows: [EventTimeWindow]
        var aggregates: [Aggregate]
        var maxEventTime: Int64?
        var watermark: Int64?
    }

    func snapshot() -> CheckpointSnapshot {
        let snapshot = values.withLock { values in
            UncheckedSendable(
                Snapshot(
                    windows: Array(values.windows.keys), aggregates: Array(values.windows.values),
                    maxEventTime: values.maxEventTime, watermark: values.watermark))
        }
        return { try JSONEncoder().encode(snapshot.value) }
    }

    func restore(from data: Data) throws {
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        values.withLock { values in
            values.windows = Dictionary(uniqueKeysWithValues: zip(snapshot.windows, snapshot.aggregates))
            values.maxEventTime = snapshot.maxEventTime
            values.watermark = snapshot.watermark
        }
    }
}
