import Foundation
import Locking

/// Lines of the new files in a directory (Spark's `textFileStream`).
///
/// Each batch reads the files that appeared since the previous batch, in name order. Files
/// present when the context first starts are ignored; hidden files (`.name`, `_name`) are
/// skipped, so write a file elsewhere (or under a hidden name) and rename it into place.
/// The names of processed files are the checkpoint position: after a restore, files that
/// arrived while the application was down are read, and none is read twice.
public final class DirectorySource: StreamSource, Sendable {
    /// The directory watched.
    public let directory: URL
    private let maxLineBytes: Int
    private let onRejected: (@Sendable (RejectedRecord) -> Void)?
    private let state = Locked(State())

    private struct State {
        var processed: Set<String> = []
        var restored = false
        var rejected = 0
    }

    /// - Parameters:
    ///   - directory: the directory to watch.
    ///   - maxLineBytes: longer lines are rejected (counted and passed to `onRejected`).
    ///   - onRejected: a dead-letter hook, called with each rejected line.
    public init(directory: String, maxLineBytes: Int = 1 << 20, onRejected: (@Sendable (RejectedRecord) -> Void)? = nil) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.maxLineBytes = maxLineBytes
        self.onRejected = onRejected
    }

    public func start() throws {
        let existing = try visibleFiles()
        state.withLock { state in
            if !state.restored { state.processed.formUnion(existing) }
        }
    }

    public func records(for time: BatchTime) throws -> [String] {
        let processed = state.withLock { $0.processed }
        let fresh = try visibleFiles().filter { !processed.contains($0) }.sorted()
        var lines: [String] = []
        var framer = LineFramer(maxLineBytes: maxLineBytes)
        for name in fresh {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let deliver: (Result<String, LineFramer.Rejection>, ArraySlice<UInt8>) -> Void = { result, bytes in
                switch result {
                case .success(let line): lines.append(line)
                case .failure(let rejection):
                    self.state.withLock { $0.rejected += 1 }
                    self.onRejected?(RejectedRecord(source: name, reason: "\(rejection)", bytes: bytes))
                }
            }
            framer.append(data, deliver)
            framer.finish(deliver)
        }
        state.withLock { $0.processed.formUnion(fresh) }
        return lines
    }

    public var rejectedRecords: Int { state.withLock { $0.rejected } }

    public var isReplayable: Bool { true }

    public func checkpointPosition() throws -> Data? {
        try JSONEncoder().encode(state.withLock { $0.processed.sorted() })
    }

    public func restore(position: Data) throws {
        let names = try JSONDecoder().decode([String].self, from: position)
        state.withLock { state in
            state.processed = Set(names)
            state.restored = true
        }
    }

    private func visibleFiles() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { name in
            guard !name.hasPrefix("."), !name.hasPrefix("_") else { return false }
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}

extension StreamingContext {
    /// Lines of files moved into `directory` (Spark's `textFileStream`).
    public func textFileStream(directory: String) -> DStream<String> {
        stream(from: DirectorySource(directory: directory), name: "files \(directory)")
    }
}
